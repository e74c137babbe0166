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
