package dev.posture.image.source;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.JibContainer;
import dev.posture.image.signature.CosignSignatures;
import dev.posture.image.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cosign-format signatures in a real registry ({@code docker-registry} on loopback): images pushed by Jib, signed in
 * the test with a key it generates, the signature manifest pushed under {@code sha256-<hex>.sig} as cosign lays it
 * out; signed, unsigned and tampered images judged through {@link RegistrySource#cosignSignatures()}.
 */
class RegistrySignaturesTest {
    static LocalRegistry registry;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
    }

    static void sign(String repo, String signedDigest, String payloadDigest, KeyPair key) throws Exception {
        dev.posture.image.testing.CosignTestSigner.sign(registry, repo, signedDigest, payloadDigest, key);
    }

    static KeyPair key() throws Exception {
        return dev.posture.image.testing.CosignTestSigner.newKey();
    }

    static CosignSignatures.Verdict judge(String reference, KeyPair trusted) throws Exception {
        SourceOptions o = new SourceOptions(Platform.DEFAULT, java.util.Set.of(), null, null,
                work.resolve("no-docker-config.json"), null, java.time.Duration.ofSeconds(10));
        try (RegistrySource source = new RegistrySource(ImageReference.parse(reference), o)) {
            source.read(new RecordingSink());
            RegistrySource.SignatureLookup l = source.cosignSignatures();
            return CosignSignatures.verify(l.candidates(), List.of(trusted.getPublic()), l.digest());
        }
    }

    @Test
    void signedUnsignedAndTamperedImagesInARealRegistry() throws Exception {
        KeyPair key = key();
        String base = registry.address() + "/shop/";
        JibContainer signed = TestImages.jib(base + "signed:1", ImageFormat.OCI, 1, Files.createTempDirectory(work, "a"));
        JibContainer unsigned = TestImages.jib(base + "unsigned:1", ImageFormat.OCI, 1, Files.createTempDirectory(work, "b"));
        JibContainer moved = TestImages.jib(base + "moved:1", ImageFormat.OCI, 1, Files.createTempDirectory(work, "c"));
        JibContainer other = TestImages.jib(base + "moved:2", ImageFormat.OCI, 1, Files.createTempDirectory(work, "d"));
        sign("shop/signed", signed.getDigest().toString(), signed.getDigest().toString(), key);
        // a genuine signature of moved:2, placed as moved:1's signature
        sign("shop/moved", moved.getDigest().toString(), other.getDigest().toString(), key);

        CosignSignatures.Verdict ok = judge(base + "signed:1", key);
        assertThat(ok.valid()).as(ok.reason()).isTrue();
        assertThat(judge(base + "signed@" + signed.getDigest(), key).valid()).isTrue();

        CosignSignatures.Verdict none = judge(base + "unsigned:1", key);
        assertThat(none.valid()).isFalse();
        assertThat(none.reason()).isEqualTo("no cosign signature");

        CosignSignatures.Verdict tampered = judge(base + "moved:1", key);
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.reason()).contains("payload names " + other.getDigest());

        CosignSignatures.Verdict wrongKey = judge(base + "signed:1", key());
        assertThat(wrongKey.valid()).isFalse();
        assertThat(wrongKey.reason()).contains("does not verify");
        assertThat(unsigned.getDigest()).isNotNull();
    }
}
