package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `posture scan` over images through the real CLI: the demo archive, and images that cannot be read. */
class ImageScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_IMAGE = Cli.fixture("demo/images/storefront.tar");

    @Test
    void theDemoImageIsScannedWithFindingsAtFilesInsideIt() throws IOException {
        Cli r = Cli.run("scan", DEMO_IMAGE, "-f", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/targets/0/type").asText()).isEqualTo("image");
        assertThat(report.at("/targets/0/status").asText()).isEqualTo("scanned");
        List<String> setuid = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            assertThat(f.get("surface").asText()).isEqualTo("container");
            assertThat(f.get("resource").asText()).isEqualTo("posture-demo/storefront:1.0");
            if (f.get("control").asText().equals("setuid-file")) {
                setuid.add(f.get("path").asText());
            }
        }
        assertThat(setuid).containsExactlyInAnyOrder("/usr/bin/sudo", "/usr/local/bin/healthcheck");
        assertThat(r.out()).doesNotContain("sk_live_51DemoOnlyNotARealKey0000");
    }

    /**
     * With an OSV database the image's packages are matched: one finding per (vulnerability, package), rule = the
     * OSV id, control vulnerable-package, theme supply-chain; the posture's supply-chain note says they were matched.
     * Without one, the scan says once that nothing was matched, and so does every report.
     */
    @Test
    void withAVulnerabilityDatabaseTheImagesPackagesAreMatched(@org.junit.jupiter.api.io.TempDir java.nio.file.Path db)
            throws IOException {
        java.nio.file.Path debian = java.nio.file.Files.createDirectories(db.resolve("Debian"));
        // the demo image is Debian 10; login and passwd are built from shadow 1:4.5-1.1
        java.nio.file.Files.writeString(debian.resolve("DLA-1.json"), """
                {"id": "DLA-0001-1", "aliases": ["CVE-2099-1111"], "summary": "shadow: example flaw",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "Debian:10", "name": "shadow"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:4.5-1.2"}]}]}]}
                """);
        Cli with = Cli.run("scan", DEMO_IMAGE, "--vuln-db", db.toString(), "-f", "json", "--no-ignore-file");
        JsonNode r = JSON.readTree(with.out());
        List<JsonNode> vulns = new java.util.ArrayList<>();
        r.get("findings").forEach(f -> {
            if (f.get("control").asText().equals("vulnerable-package")) {
                vulns.add(f);
            }
        });
        assertThat(vulns).singleElement().satisfies(f -> {
            assertThat(f.get("ruleId").asText()).isEqualTo("DLA-0001-1");
            assertThat(f.get("severity").asText()).isEqualTo("critical");
            assertThat(f.get("theme").asText()).isEqualTo("supply-chain");
            assertThat(f.get("message").asText()).isEqualTo(
                    "shadow 1:4.5-1.1 is affected by DLA-0001-1 (CVE-2099-1111); fixed in 1:4.5-1.2");
            assertThat(f.get("path").asText()).isEqualTo("/var/lib/dpkg/status");
        });
        assertThat(r.at("/posture/surfaces/container/themes/supply-chain/notes").toString())
                .contains("matched against the OSV database");
        assertThat(r.at("/posture/checks/image").toString()).contains("vulnerable-package");
        assertThat(with.err()).doesNotContain("were not matched");
        assertThat(Cli.run("scan", DEMO_IMAGE, "--vuln-db", db.toString(), "-f", "table", "--no-color", "-q").out())
                .contains("supply-chain: vulnerabilities matched (--vuln-db)");

        Cli without = Cli.run("scan", DEMO_IMAGE, "-f", "json", "--no-ignore-file");
        assertThat(without.err()).contains("the images' packages were not matched against known vulnerabilities");
        assertThat(JSON.readTree(without.out()).at("/posture/surfaces/container/themes/supply-chain/notes").toString())
                .contains("not scanned (no --vuln-db");
        assertThat(Cli.run("scan", DEMO_IMAGE, "--vuln-db", db.resolve("missing").toString()).exit())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anUnreachableRegistryFailsThatImageOnlyAndTheScanSaysItIsIncomplete() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String ref = "127.0.0.1:" + port + "/shop/app:1.0";
        Cli r = Cli.runWithStdin("", Map.of("DOCKER_HOST", "unix:///nonexistent/posture-test.sock"), "scan",
                DEMO_IMAGE, "--image", ref, "--image", "daemon://app:1.0", "-f", "json", "--registry-timeout", "2");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
        JsonNode targets = JSON.readTree(r.out()).get("targets");
        assertThat(targets).hasSize(3);
        for (JsonNode t : targets) {
            if (t.get("name").asText().equals(ref)) {
                assertThat(t.get("status").asText()).isEqualTo("failed");
                assertThat(t.get("error").asText()).contains(ref);
            } else if (t.get("name").asText().startsWith("daemon://")) {
                assertThat(t.get("status").asText()).isEqualTo("failed");
                assertThat(t.get("error").asText()).contains("daemon");
            } else {
                assertThat(t.get("status").asText()).isEqualTo("scanned");
            }
        }
    }

    @Test
    void registryPasswordComesFromStdinOnlyWithAUser() {
        Cli noUser = Cli.runWithStdin("secret\n", Map.of(), "scan", "--image", "localhost:1/a:1",
                "--registry-password-stdin");
        assertThat(noUser.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noUser.err()).contains("--registry-username");
        Cli both = Cli.runWithStdin("secret\n", Map.of(), "scan", "-", "--registry-username", "u",
                "--registry-password-stdin");
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        Cli platform = Cli.run("scan", DEMO_IMAGE, "--platform", "linux");
        assertThat(platform.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(platform.err()).contains("--platform");
    }
}
