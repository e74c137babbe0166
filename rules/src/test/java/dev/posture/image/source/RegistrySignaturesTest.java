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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
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
    static final HttpClient HTTP = HttpClient.newHttpClient();

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

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static void putBlob(String repo, byte[] bytes) throws Exception {
        HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.address()
                + "/v2/" + repo + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        String location = start.headers().firstValue("location").orElseThrow();
        URI put = URI.create(location.startsWith("http") ? location : "http://" + registry.address() + location);
        String sep = put.getQuery() == null ? "?" : "&";
        HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(URI.create(put + sep + "digest=" + sha256(bytes)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    }

    /** Pushes a cosign-style signature manifest for {@code signedDigest} whose payload names {@code payloadDigest}. */
    static void sign(String repo, String signedDigest, String payloadDigest, KeyPair key) throws Exception {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.address() + "/" + repo
                + "\"},\"image\":{\"docker-manifest-digest\":\"" + payloadDigest + "\"},\"type\":\"cosign container"
                + " image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(payload);
        String sig = Base64.getEncoder().encodeToString(s.sign());
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        putBlob(repo, payload);
        putBlob(repo, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length
                + ",\"digest\":\"" + sha256(config) + "\"},\"layers\":[{\"mediaType\":\""
                + CosignSignatures.PAYLOAD_MEDIA_TYPE + "\",\"size\":" + payload.length + ",\"digest\":\""
                + sha256(payload) + "\",\"annotations\":{\"" + CosignSignatures.SIGNATURE_ANNOTATION + "\":\"" + sig
                + "\"}}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.address() + "/v2/"
                        + repo + "/manifests/" + CosignSignatures.signatureTag(signedDigest)))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    static KeyPair key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
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
