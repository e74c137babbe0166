package dev.posture.vuln;

import dev.posture.model.Severity;
import dev.posture.vuln.osv.Ecosystems;
import dev.posture.vuln.osv.OsvDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-written OSV records in OSV's export layout, matched as an image's packages would be. */
class VulnMatcherTest {

    static void zip(Path file, Map<String, String> entries) throws Exception {
        Files.createDirectories(file.getParent());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    static final String OPENSSL = """
            {"id": "DSA-0001-1", "aliases": ["CVE-2099-0001"], "summary": "openssl: example flaw",
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
             "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.15-1~deb12u1"}]}]},
                          {"package": {"ecosystem": "Debian:11", "name": "openssl"},
                           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1w-0+deb11u2"}]}]}]}
            """;
    static final String ZLIB_LAST_AFFECTED = """
            {"id": "DEBIAN-CVE-2099-0002", "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"},
              "ecosystem_specific": {"severity": "low"},
              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1:1.2.0"}, {"last_affected": "1:1.2.13.dfsg-1"}]}]}]}
            """;
    static final String WITHDRAWN = """
            {"id": "DSA-0003-1", "withdrawn": "2025-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "Debian:12",
              "name": "openssl"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
            """;
    static final String BAD_RANGE = """
            {"id": "DSA-0004-1", "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"},
              "ranges": [{"type": "SOMETHING", "events": [{"introduced": "0"}]}]}]}
            """;

    @Test
    void debianSourcePackagesMatchTheirReleasesRangesOnly(@TempDir Path dir) throws Exception {
        zip(dir.resolve("Debian/all.zip"), Map.of("DSA-0001-1.json", OPENSSL, "DEBIAN-CVE-2099-0002.json",
                ZLIB_LAST_AFFECTED, "DSA-0003-1.json", WITHDRAWN, "DSA-0004-1.json", BAD_RANGE,
                "broken.json", "{\"id\": "));
        List<String> warnings = new ArrayList<>();
        OsvDatabase db = OsvDatabase.load(dir, null, warnings::add);
        assertThat(db.stats().records()).containsEntry("Debian", 2);
        assertThat(db.stats().withdrawn()).isEqualTo(1);
        assertThat(db.stats().skipped()).isEqualTo(2);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("DSA-0004-1", "unknown range type SOMETHING"))
                .anySatisfy(w -> assertThat(w).contains("broken.json", "not valid JSON"));

        String eco = Ecosystems.ofOs("debian", "12");
        assertThat(eco).isEqualTo("Debian:12");
        List<VulnMatcher.Match> m = new VulnMatcher(db).match(List.of(
                new VulnMatcher.Package(eco, "openssl", "3.0.14-1~deb12u2", "/var/lib/dpkg/status"),
                new VulnMatcher.Package(eco, "zlib", "1:1.2.13.dfsg-1", "/var/lib/dpkg/status"),
                new VulnMatcher.Package(eco, "bash", "5.2.15-2+b2", "/var/lib/dpkg/status")), warnings::add);
        assertThat(m).extracting(VulnMatcher.Match::id).containsExactly("DSA-0001-1", "DEBIAN-CVE-2099-0002");
        VulnMatcher.Match ssl = m.get(0);
        assertThat(ssl.fixed()).isEqualTo("3.0.15-1~deb12u1");
        assertThat(ssl.aliases()).containsExactly("CVE-2099-0001");
        assertThat(ssl.severity().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(ssl.severity().score()).isEqualTo(9.8);
        VulnMatcher.Match zlib = m.get(1);
        assertThat(zlib.fixed()).isNull();
        assertThat(zlib.severity().severity()).isEqualTo(Severity.LOW);
        assertThat(zlib.severity().basis()).isEqualTo("ecosystem");

        // fixed versions and other releases do not match
        assertThat(new VulnMatcher(db).match(List.of(
                new VulnMatcher.Package(eco, "openssl", "3.0.15-1~deb12u1", "s"),
                new VulnMatcher.Package(eco, "zlib", "1:1.3.dfsg-3", "s"),
                new VulnMatcher.Package("Debian:13", "openssl", "3.0.14-1", "s")), warnings::add)).isEmpty();
    }

    @Test
    void languageEcosystemsUseTheirOwnVersionOrders(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("npm"));
        Files.writeString(dir.resolve("npm/GHSA-aaaa.json"), """
                {"id": "GHSA-aaaa", "database_specific": {"severity": "HIGH"},
                 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                  "ranges": [{"type": "SEMVER", "events": [{"introduced": "4.0.0"}, {"fixed": "4.17.21"}]}]}]}
                """);
        zip(dir.resolve("PyPI/all.zip"), Map.of("PYSEC-1.json", """
                {"id": "PYSEC-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.2"}, {"fixed": "4.2.16"}]}],
                  "versions": ["4.1rc1"]}]}
                """));
        zip(dir.resolve("Maven/all.zip"), Map.of("GHSA-log4j.json", """
                {"id": "GHSA-jfh8", "aliases": ["CVE-2021-44228"],
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.15.0"}]}]}]}
                """));
        List<String> warnings = new ArrayList<>();
        OsvDatabase db = OsvDatabase.load(dir, List.of("npm", "PyPI", "Maven"), warnings::add);
        List<VulnMatcher.Match> m = new VulnMatcher(db).match(List.of(
                new VulnMatcher.Package("npm", "lodash", "4.17.20", "app/package-lock.json"),
                new VulnMatcher.Package("npm", "lodash", "4.17.21", "other/package-lock.json"),
                new VulnMatcher.Package("PyPI", "django", "4.2.10", "site-packages"),
                new VulnMatcher.Package("PyPI", "django", "4.1rc1", "site-packages"),
                new VulnMatcher.Package("PyPI", "django", "4.2.16", "site-packages"),
                new VulnMatcher.Package("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "app.jar"),
                new VulnMatcher.Package("Maven", "org.apache.logging.log4j:log4j-core", "2.15.0", "app.jar"),
                new VulnMatcher.Package("npm", "lodash", "not-a-version", "x/package.json")), warnings::add);
        assertThat(m).extracting(x -> x.pkg().version() + " " + x.id()).containsExactly("4.17.20 GHSA-aaaa",
                "4.2.10 PYSEC-1", "4.1rc1 PYSEC-1", "2.14.1 GHSA-jfh8");
        assertThat(m.get(0).severity().severity()).isEqualTo(Severity.HIGH);
        assertThat(m.get(3).severity().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(m.get(3).severity().score()).isEqualTo(10.0);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("lodash", "not-a-version", "not matched"));
    }

    @Test
    void aCorruptZipIsNamedAndTheOtherEcosystemsStillLoad(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("Alpine"));
        Files.write(dir.resolve("Alpine/all.zip"), "PK\u0003\u0004 truncated".getBytes(StandardCharsets.ISO_8859_1));
        zip(dir.resolve("npm/all.zip"), Map.of("a.json", """
                {"id": "GHSA-b", "affected": [{"package": {"ecosystem": "npm", "name": "x"},
                 "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
                """));
        List<String> warnings = new ArrayList<>();
        OsvDatabase db = OsvDatabase.load(dir, null, warnings::add);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Alpine/all.zip", "not a valid zip"));
        assertThat(db.entries("npm", "x")).hasSize(1);
        assertThat(Ecosystems.ofOs("alpine", "3.20.3")).isEqualTo("Alpine:v3.20");
        assertThat(Ecosystems.applies("Ubuntu:22.04:LTS", Ecosystems.ofOs("ubuntu", "22.04"))).isTrue();
    }

}
