package dev.posture.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.image.testing.CosignTestSigner;
import dev.posture.image.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scan --verify-key}: the demo image pushed by skopeo to a real {@code docker-registry} on loopback, signed
 * in the test the way cosign lays signatures out, with keys the test generates; signed, unsigned, moved-signature
 * and wrong-key images, and images that cannot be checked (an archive).
 */
class ImageSignatureScanTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEMO = Cli.fixture("demo/images/storefront.tar");
    static LocalRegistry registry;
    @TempDir
    static Path work;
    static KeyPair key;
    static Path pub;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(LocalRegistry.BINARY), "docker-registry is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
        registry = LocalRegistry.start();
        key = CosignTestSigner.newKey();
        pub = Files.writeString(work.resolve("cosign.pub"), CosignTestSigner.pem(key.getPublic()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
    }

    /** Pushes the demo archive and returns the manifest digest. */
    static String push(String repoTag, String variant) throws Exception {
        Path digest = work.resolve("digest-" + variant);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/skopeo", "--insecure-policy", "copy",
                "--dest-tls-verify=false", "--digestfile", digest.toString(), "--format", "oci"));
        if (!variant.isEmpty()) {
            cmd.addAll(List.of("--dest-compress-format", variant));
        }
        cmd.addAll(List.of("docker-archive:" + DEMO, "docker://" + registry.address() + "/" + repoTag));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());
        pb.environment().put("REGISTRY_AUTH_FILE", work.resolve("auth.json").toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return Files.readString(digest).strip();
    }

    static List<String> signatureFindings(Cli r) throws Exception {
        List<String> out = new ArrayList<>();
        JSON.readTree(r.out()).get("findings").forEach(f -> {
            String id = f.get("ruleId").asText();
            if (id.equals("img-unsigned") || id.equals("img-signature-invalid")) {
                out.add(id + ": " + f.get("message").asText());
            }
        });
        return out;
    }

    @Test
    void signedUnsignedMovedAndWrongKey() throws Exception {
        String signed = push("shop/signed:1", "gzip");
        push("shop/unsigned:1", "gzip");
        String moved = push("shop/moved:1", "gzip");
        CosignTestSigner.sign(registry, "shop/signed", signed, signed, key);
        // a genuine signature of another image (another digest), placed as shop/moved's signature
        String another = "sha256:" + "0123456789abcdef".repeat(4);
        CosignTestSigner.sign(registry, "shop/moved", moved, another, key);
        String r = registry.address() + "/shop/";

        Cli ok = Cli.run("scan", "--image", r + "signed:1", "--verify-key", pub.toString(), "-f", "json", "-q");
        assertThat(ok.exit()).as(ok.err()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
        assertThat(JSON.readTree(ok.out()).at("/targets/0/status").asText()).isEqualTo("scanned");
        assertThat(signatureFindings(ok)).isEmpty();
        assertThat(JSON.readTree(ok.out()).at("/posture/checks/image").toString()).contains("img-unsigned",
                "img-signature-invalid");

        Cli unsigned = Cli.run("scan", "--image", r + "unsigned:1", "--verify-key", pub.toString(), "-f", "json", "-q");
        assertThat(signatureFindings(unsigned)).singleElement().asString()
                .startsWith("img-unsigned: ").endsWith("no cosign signature");

        Cli tampered = Cli.run("scan", "--image", r + "moved:1", "--verify-key", pub.toString(), "-f", "json", "-q");
        assertThat(signatureFindings(tampered)).singleElement().asString().startsWith("img-signature-invalid: ")
                .contains("payload names " + another, "not the image's " + moved);

        Path other = Files.writeString(work.resolve("other.pub"), CosignTestSigner.pem(CosignTestSigner.newKey().getPublic()));
        Cli wrongKey = Cli.run("scan", "--image", r + "signed:1", "--verify-key", other.toString(), "-f", "json", "-q");
        assertThat(signatureFindings(wrongKey)).singleElement().asString()
                .contains("does not verify with the given key(s)");
        // any of several keys
        Cli either = Cli.run("scan", "--image", r + "signed:1", "--verify-key", other.toString(), "--verify-key",
                pub.toString(), "-f", "json", "-q");
        assertThat(signatureFindings(either)).isEmpty();
    }

    @Test
    void anArchiveCannotBeCheckedWhichIsSaidOrCountsAsUnsigned() throws Exception {
        Cli said = Cli.run("scan", DEMO, "--verify-key", pub.toString(), "-f", "json");
        assertThat(signatureFindings(said)).isEmpty();
        assertThat(said.err()).contains("signature not checked: read from archive");
        Cli required = Cli.run("scan", DEMO, "--verify-key", pub.toString(), "--require-signature", "-f", "json", "-q");
        assertThat(signatureFindings(required)).singleElement().asString().startsWith("img-unsigned: ")
                .contains("--require-signature");
    }

    @Test
    void usageErrors() throws Exception {
        assertThat(Cli.run("scan", DEMO, "--require-signature").exit()).isEqualTo(ExitCodes.USAGE);
        Path notAKey = Files.writeString(work.resolve("x.pub"), "hello");
        Cli bad = Cli.run("scan", DEMO, "--verify-key", notAKey.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("x.pub", "BEGIN PUBLIC KEY");
    }

}
