package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.image.ImageInspector;
import dev.posture.image.ImageLimits;
import dev.posture.image.facts.DpkgStatus;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.ImageSources;
import dev.posture.image.source.LayerSink;
import dev.posture.image.source.SourceOptions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code posture sbom} through the real CLI entry point. */
class SbomCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STOREFRONT = fixture("demo/images/storefront.tar");

    @Test
    void withAVulnerabilityDatabaseTheSbomListsWhatAffectsWhichComponent(@TempDir Path db) throws Exception {
        Path debian = java.nio.file.Files.createDirectories(db.resolve("Debian"));
        // the demo image is Debian 10: login is built from shadow 1:4.5-1.1, sudo from sudo 1.8.27-1+deb10u3
        java.nio.file.Files.writeString(debian.resolve("DLA-1.json"), """
                {"id": "DLA-0001-1", "aliases": ["CVE-2099-1111"], "summary": "shadow: example",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "Debian:10", "name": "shadow"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:4.5-1.2"}]}]}]}
                """);
        java.nio.file.Files.writeString(debian.resolve("DLA-2.json"), """
                {"id": "DLA-0002-1", "affected": [{"package": {"ecosystem": "Debian:10", "name": "sudo"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.8.27-1+deb10u2"}]}]}]}
                """);
        java.nio.file.Files.writeString(debian.resolve("DLA-3.json"), """
                {"id": "DLA-0003-1", "affected": [{"package": {"ecosystem": "Debian:11", "name": "sudo"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9"}]}]}]}
                """);
        Cli r = Cli.run("sbom", STOREFRONT, "--vuln-db", db.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(new JsonParser().validate(r.out().getBytes(StandardCharsets.UTF_8), Version.VERSION_16)).isEmpty();
        JsonNode bom = JSON.readTree(r.out());
        JsonNode vulns = bom.get("vulnerabilities");
        assertThat(vulns).as("fixed sudo and another release's record do not match").hasSize(1);
        JsonNode v = vulns.get(0);
        assertThat(v.get("id").asText()).isEqualTo("DLA-0001-1");
        assertThat(v.at("/source/url").asText()).isEqualTo("https://osv.dev/vulnerability/DLA-0001-1");
        assertThat(v.at("/references/0/id").asText()).isEqualTo("CVE-2099-1111");
        assertThat(v.at("/ratings/0/score").asDouble()).isEqualTo(7.8);
        assertThat(v.at("/ratings/0/severity").asText()).isEqualTo("high");
        assertThat(v.at("/ratings/0/method").asText()).isEqualTo("CVSSv31");
        assertThat(v.at("/recommendation").asText()).contains("1:4.5-1.2");
        String login = null;
        for (JsonNode c : bom.get("components")) {
            if (c.path("name").asText().equals("login")) {
                login = c.get("bom-ref").asText();
            }
        }
        assertThat(v.at("/affects/0/ref").asText()).isEqualTo(login);
        assertThat(v.get("affects")).hasSize(1);
        // a missing database directory is a usage error
        assertThat(Cli.run("sbom", STOREFRONT, "--vuln-db", db.resolve("nope").toString()).exit())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void usageErrorsExitTwoBeforeTheImageIsRead() {
        assertThat(run("sbom").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("sbom", STOREFRONT, "--no-such-option").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("sbom", STOREFRONT, "extra").exit()).isEqualTo(ExitCodes.USAGE);

        Cli format = run("sbom", STOREFRONT, "--format", "spdx-json");
        assertThat(format.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(format.err()).contains("--format: 'spdx-json' is not supported; the only format is cyclonedx-json");

        Cli platform = run("sbom", STOREFRONT, "--platform", "linux");
        assertThat(platform.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(platform.err()).contains("--platform: platform 'linux' is not os/architecture[/variant]");

        Cli ref = run("sbom", "Not A Reference!");
        assertThat(ref.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(ref.err()).contains("Not A Reference! is no file, directory or image reference");
        assertThat(ref.out()).isEmpty();
    }

    @Test
    void theSbomNeverReplacesTheImageNorGoesThroughALink(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("app.tar");
        Files.copy(Path.of(STOREFRONT), archive);
        byte[] before = Files.readAllBytes(archive);
        Cli self = run("sbom", archive.toString(), "-o", archive.toString());
        assertThat(self.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(self.err()).contains("is a scanned input; refusing to overwrite it");
        Path hardLink = Files.createLink(dir.resolve("other-name.json"), archive);
        assertThat(run("sbom", archive.toString(), "-o", hardLink.toString()).err())
                .contains("is the same file as the scanned input");
        assertThat(Files.readAllBytes(archive)).isEqualTo(before);

        Path victim = Files.writeString(dir.resolve("victim.conf"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("bom.json"), victim);
        Cli through = run("sbom", archive.toString(), "-o", link.toString());
        assertThat(through.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(through.err()).contains("is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");

        // an OCI layout directory: not into it, where a blob could be replaced
        Path layout = Files.createDirectories(dir.resolve("oci/blobs/sha256"));
        Files.writeString(dir.resolve("oci/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Cli inside = run("sbom", dir.resolve("oci").toString(), "-o", layout.resolve("abc").toString());
        assertThat(inside.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(inside.err()).contains("is inside the image directory");
        assertThat(run("sbom", dir.resolve("oci").toString(), "-o", dir.resolve("oci").toString()).err())
                .contains("is a directory");
    }

    @Test
    void aMissingArchiveIsNotLookedForInARegistry(@TempDir Path dir) {
        for (String missing : List.of(dir.resolve("nope.tar").toString(), "./nope", "images/app.tar.gz")) {
            Cli r = run("sbom", missing, "-o", dir.resolve("bom.json").toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(r.err()).isEqualTo("posture sbom: " + missing + ": no such file or directory\n");
        }
        assertThat(dir.resolve("bom.json")).doesNotExist();
    }

    @Test
    void anImageWithoutPackagesSaysWhy() {
        assertThat(SbomCommand.noPackages("app.tar", new OsRelease("rocky", "rhel centos fedora", "9.3", null,
                "Rocky Linux 9.3 (Blue Onyx)", "/etc/os-release")))
                .isEqualTo("app.tar: Rocky Linux 9.3 (Blue Onyx) keeps its packages in an rpm database, which posture"
                        + " does not read yet: the SBOM lists none");
        assertThat(SbomCommand.noPackages("app.tar", new OsRelease("debian", null, "12", "bookworm", "Distroless",
                "/etc/os-release"))).isEqualTo("app.tar: no dpkg or apk package database found: the SBOM lists no packages");
        assertThat(SbomCommand.noPackages("scratch.tar", null)).contains("no dpkg or apk package database found");
    }

    @Test
    void helpListsTheCommand() {
        assertThat(run("--help").out()).contains("sbom");
        Cli help = run("sbom", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("CycloneDX 1.6", "--platform", "--format", "daemon://");
    }

    /**
     * The demo image end to end: a valid CycloneDX 1.6 BOM naming the image by its tag and ID, listing exactly the
     * packages of the image's dpkg database. Runs once the image sources and inspector are built (skipped while this
     * branch carries their stand-ins).
     */
    @Test
    void demoImageEndToEnd(@TempDir Path dir) throws Exception {
        assumeFalse(standIns(), "ImageSources/ImageInspector are still stand-ins");
        Path bom = dir.resolve("bom.json");
        Cli r = run("sbom", STOREFRONT, "-o", bom.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("wrote CycloneDX 1.6 SBOM of ").contains(bom.toString());
        List<String> errors = new ArrayList<>();
        for (ParseException e : new JsonParser().validate(bom.toFile(), Version.VERSION_16)) {
            errors.add(e.getMessage());
        }
        assertThat(errors).isEmpty();

        Map<String, byte[]> archive = entries(Files.newInputStream(Path.of(STOREFRONT)));
        JsonNode manifest = JSON.readTree(archive.get("manifest.json")).get(0);
        JsonNode sbom = JSON.readTree(bom.toFile());
        assertThat(sbom.at("/metadata/component/type").asText()).isEqualTo("container");
        assertThat(sbom.at("/metadata/component/name").asText()).isEqualTo(manifest.at("/RepoTags/0").asText());
        assertThat(sbom.at("/metadata/component/version").asText())
                .isEqualTo("sha256:" + manifest.get("Config").asText().replace(".json", ""));

        List<String> expected = new ArrayList<>();
        for (OsPackage p : dpkgPackages(archive, manifest)) {
            expected.add(p.name() + " " + p.version());
        }
        List<String> listed = new ArrayList<>();
        for (JsonNode c : sbom.path("components")) {
            if (c.get("type").asText().equals("library")) {
                listed.add(c.get("name").asText() + " " + c.get("version").asText());
                assertThat(c.get("purl").asText()).startsWith("pkg:deb/");
            }
        }
        assertThat(listed).containsExactlyElementsOf(expected);

        // '-o -' is stdout, the same BOM
        Cli stdout = run("sbom", STOREFRONT, "-o", "-", "-q");
        assertThat(stdout.exit()).isEqualTo(ExitCodes.OK);
        assertThat(stdout.err()).isEmpty();
        assertThat(new JsonParser().validate(stdout.out().getBytes(StandardCharsets.UTF_8), Version.VERSION_16)).isEmpty();
        assertThat(JSON.readTree(stdout.out()).get("components")).isEqualTo(sbom.get("components"));
    }

    /** True while this branch's stand-ins for the image sources and inspector are in place. */
    static boolean standIns() throws IOException {
        try (ImageSource s = ImageSources.open(STOREFRONT, Path.of(STOREFRONT), SourceOptions.defaults())) {
            // a real source: the inspector must be real too
        } catch (ImageException e) {
            if (e.getMessage() != null && e.getMessage().endsWith("not built yet")) {
                return true;
            }
        }
        ImageSource failing = new ImageSource() {
            @Override
            public String describe() {
                return "probe";
            }

            @Override
            public String kind() {
                return "archive";
            }

            @Override
            public ImageManifest read(LayerSink layers) throws ImageException {
                throw new ImageException("probe");
            }
        };
        try {
            new ImageInspector(ImageLimits.DEFAULT, 1).inspect("probe", null, failing);
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (ImageException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The packages of the topmost {@code var/lib/dpkg/status} of the archive's layers (none when absent). */
    private static List<OsPackage> dpkgPackages(Map<String, byte[]> archive, JsonNode manifest) throws IOException {
        String status = null;
        for (JsonNode layer : manifest.get("Layers")) {
            Map<String, byte[]> files = entries(new ByteArrayInputStream(archive.get(layer.asText())));
            for (String name : List.of("var/lib/dpkg/status", "./var/lib/dpkg/status")) {
                if (files.containsKey(name)) {
                    status = new String(files.get(name), StandardCharsets.UTF_8);
                }
            }
        }
        return status == null ? List.of() : DpkgStatus.parse(status, "/var/lib/dpkg/status");
    }

    /** Every regular file of a tar (gzip-compressed or not), by name. */
    private static Map<String, byte[]> entries(InputStream raw) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (InputStream buffered = new BufferedInputStream(raw)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    gzip ? new GzipCompressorInputStream(buffered) : buffered)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (e.isFile()) {
                        out.put(e.getName(), tar.readAllBytes());
                    }
                }
            }
        }
        return out;
    }
}
