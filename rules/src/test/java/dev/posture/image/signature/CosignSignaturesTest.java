package dev.posture.image.signature;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signatures made in the test with keys it generates, judged as cosign's verify would. */
class CosignSignaturesTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    static KeyPair keys(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (alg.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (alg.equals("RSA")) {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    static byte[] payload(String digest) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/shop\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    }

    static String sign(PrivateKey k, String alg, byte[] payload) throws Exception {
        Signature s = Signature.getInstance(alg);
        s.initSign(k);
        s.update(payload);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    static String pem(PublicKey k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(k.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void aSignatureVerifiesWithItsKeyOfEveryAlgorithmAndNamesTheDigest(@TempDir Path dir) throws Exception {
        for (String[] alg : new String[][] {{"EC", "SHA256withECDSA"}, {"RSA", "SHA256withRSA"}, {"Ed25519", "Ed25519"}}) {
            KeyPair kp = keys(alg[0]);
            Path pub = dir.resolve(alg[0] + ".pub");
            Files.writeString(pub, pem(kp.getPublic()));
            PublicKey k = PublicKeys.read(pub);
            var c = new CosignSignatures.Candidate(payload(DIGEST), sign(kp.getPrivate(), alg[1], payload(DIGEST)));
            assertThat(CosignSignatures.verify(List.of(c), List.of(k), DIGEST).valid()).as(alg[0]).isTrue();
        }
    }

    @Test
    void wrongKeyOtherDigestAndTamperedPayloadAreInvalidWithTheReason() throws Exception {
        KeyPair signer = keys("EC");
        KeyPair other = keys("EC");
        byte[] p = payload(DIGEST);
        String sig = sign(signer.getPrivate(), "SHA256withECDSA", p);

        var wrongKey = CosignSignatures.verify(List.of(new CosignSignatures.Candidate(p, sig)),
                List.of(other.getPublic()), DIGEST);
        assertThat(wrongKey.valid()).isFalse();
        assertThat(wrongKey.reason()).isEqualTo("signature does not verify with the given key(s)");

        // a genuine signature of another image, moved onto this one
        String otherDigest = "sha256:" + "cd".repeat(32);
        byte[] po = payload(otherDigest);
        var moved = CosignSignatures.verify(List.of(new CosignSignatures.Candidate(po,
                sign(signer.getPrivate(), "SHA256withECDSA", po))), List.of(signer.getPublic()), DIGEST);
        assertThat(moved.valid()).isFalse();
        assertThat(moved.reason()).contains("payload names " + otherDigest, "not the image's " + DIGEST);

        byte[] tampered = new String(p, StandardCharsets.UTF_8).replace("127.0.0.1:5000/shop", "evil/shop")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(CosignSignatures.verify(List.of(new CosignSignatures.Candidate(tampered, sig)),
                List.of(signer.getPublic()), DIGEST).valid()).isFalse();

        assertThat(CosignSignatures.verify(List.of(), List.of(signer.getPublic()), DIGEST).reason())
                .isEqualTo("no cosign signature");
        assertThat(CosignSignatures.verify(List.of(new CosignSignatures.Candidate(p, "%%%")),
                List.of(signer.getPublic()), DIGEST).reason()).contains("not base64");
        // one good candidate among bad ones is enough (cosign: any signature verifies)
        assertThat(CosignSignatures.verify(List.of(new CosignSignatures.Candidate(tampered, sig),
                new CosignSignatures.Candidate(p, sig)), List.of(other.getPublic(), signer.getPublic()), DIGEST)
                .valid()).isTrue();
    }

    @Test
    void keysAndTags(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.pub");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PublicKeys.read(bad)).hasMessageContaining("bad.pub").hasMessageContaining("BEGIN PUBLIC KEY");
        assertThat(CosignSignatures.signatureTag(DIGEST)).isEqualTo("sha256-" + "ab".repeat(32) + ".sig");
    }
}
