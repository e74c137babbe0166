package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistrySource} against {@link LoopbackFakeRegistry}, for what a real registry cannot be made to do on
 * demand: fail with 503/429 a given number of times (retries), hang (timeouts), lie about digests and sizes, serve
 * schema 1, ask for a Bearer token, and stream a large blob slowly enough to watch back-pressure.
 */
class RegistrySourceLoopbackFakeTest {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final Logger JIB = Logger.getLogger("com.google.cloud.tools.jib"); // held: keeps the level below

    LoopbackFakeRegistry fake;

    @BeforeAll
    static void quietJib() {
        JIB.setLevel(Level.WARNING); // jib's routine fallback-to-HTTP notes
    }

    @BeforeEach
    void start() throws IOException {
        fake = new LoopbackFakeRegistry();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    record FakeImage(String ref, String manifestDigest, List<String> layers, byte[] manifest) {
    }

    /** An OCI image in the fake: a config and these layers (any bytes: the source does not look inside). */
    FakeImage image(String repo, String tag, List<byte[]> layers, long... sizes) throws IOException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{}}".getBytes(StandardCharsets.UTF_8);
        ObjectNode m = TestImages.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", fake.blob(config)).put("size", config.length);
        ArrayNode ls = m.putArray("layers");
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String d = fake.blob(layers.get(i));
            digests.add(d);
            ls.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip").put("digest", d)
                    .put("size", i < sizes.length ? sizes[i] : layers.get(i).length);
        }
        byte[] bytes = TestImages.JSON.writeValueAsBytes(m);
        String digest = fake.manifest(repo, tag, OCI_MANIFEST, bytes);
        return new FakeImage(fake.address() + "/" + repo + ":" + tag, digest, digests, bytes);
    }

    FakeImage image(String repo, String tag) throws IOException {
        return image(repo, tag, List.of(bytes("layer one of " + repo), bytes("layer two of " + repo)));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static SourceOptions options(String user, String password, Duration timeout) {
        return new SourceOptions(Platform.DEFAULT, Set.of(), user, password, java.nio.file.Path.of("/nonexistent"),
                null, timeout);
    }

    static ImageManifest read(String ref, SourceOptions options, LayerSink sink) throws Exception {
        try (RegistrySource source = new RegistrySource(ImageReference.parse(ref), options)) {
            return source.read(sink);
        }
    }

    static ImageManifest read(String ref, RecordingSink sink) throws Exception {
        return read(ref, options(null, null, Duration.ofSeconds(10)), sink);
    }

    @Test
    void serviceUnavailableTwiceThenServedIsRetried() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        fake.fail("/v2/", 503, 2);
        fake.fail("/manifests/1.0", 503, 2);
        fake.fail("/blobs/" + image.layers().get(1), 503, 2);
        RecordingSink sink = new RecordingSink();

        ImageManifest m = read(image.ref(), sink);

        assertThat(m.manifestDigest()).isEqualTo(image.manifestDigest());
        assertThat(sink.blobs.keySet()).containsExactlyInAnyOrderElementsOf(image.layers());
        assertThat(fake.count("/manifests/1.0")).isEqualTo(3);
        assertThat(fake.count("/blobs/" + image.layers().get(1))).isEqualTo(3);
        assertThat(fake.count("/blobs/" + image.layers().get(0))).isEqualTo(1);
    }

    @Test
    void tooManyRequestsIsRetriedToo() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        fake.fail("/blobs/" + image.layers().get(0), 429, 1);

        read(image.ref(), new RecordingSink());

        assertThat(fake.count("/blobs/" + image.layers().get(0))).isEqualTo(2);
    }

    @Test
    void serviceUnavailableEveryTimeGivesUpAfterThreeAttempts() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        fake.fail("/manifests/1.0", 503, 100);

        assertThatThrownBy(() -> read(image.ref(), new RecordingSink()))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + image.ref() + ": HTTP 503 from " + fake.address()
                        + " for manifest 1.0 after 3 attempts");
        assertThat(fake.count("/manifests/1.0")).isEqualTo(3);
    }

    @Test
    void otherClientErrorsAreNotRetried() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        fake.fail("/manifests/1.0", 400, 100);

        assertThatThrownBy(() -> read(image.ref(), new RecordingSink()))
                .hasMessage("registry " + image.ref() + ": HTTP 400 from " + fake.address() + " for manifest 1.0");
        assertThat(fake.count("/manifests/1.0")).isEqualTo(1);

        String missing = fake.address() + "/shop/app:2.0";
        assertThatThrownBy(() -> read(missing, new RecordingSink()))
                .hasMessage("registry " + missing + ": manifest 2.0 not found in shop/app (HTTP 404)");
        assertThat(fake.count("/manifests/2.0")).isEqualTo(1);
    }

    @Test
    void aRegistryThatAcceptsAndNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // and never a byte back
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String ref = "127.0.0.1:" + silent.getLocalPort() + "/shop/app:1.0";

            assertThatThrownBy(() -> read(ref, options(null, null, Duration.ofSeconds(1)), new RecordingSink()))
                    .isInstanceOf(ImageException.class)
                    .hasMessage("registry " + ref + ": 127.0.0.1:" + silent.getLocalPort()
                            + " did not answer within 1s (authentication)");
            assertThat(held).hasSize(1); // timeouts are not retried: the timeout is the user's patience
        }
    }

    @Test
    void bearerTokenFromTheTokenServerWithBasicCredentials() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        fake.requireBearer("bob", "hunter2-but-longer");

        RecordingSink sink = new RecordingSink();
        read(image.ref(), options("bob", "hunter2-but-longer", Duration.ofSeconds(10)), sink);

        assertThat(sink.blobs.keySet()).containsExactlyInAnyOrderElementsOf(image.layers());
        assertThat(fake.requests()).anyMatch(r -> r.startsWith("GET /token [Basic "))
                .filteredOn(r -> r.contains("/manifests/") || r.contains("/blobs/"))
                .isNotEmpty()
                .allMatch(r -> r.endsWith("[Bearer fake-token-0123456789]"));

        assertThatThrownBy(() -> read(image.ref(), options("bob", "wrong", Duration.ofSeconds(10)),
                new RecordingSink()))
                .hasMessage("registry " + image.ref() + ": unauthorized for shop/app (HTTP 401, credentials from"
                        + " --registry-username)");
        assertThatThrownBy(() -> read(image.ref(), new RecordingSink()))
                .hasMessage("registry " + image.ref() + ": unauthorized for shop/app (HTTP 401, no credentials)");
    }

    @Test
    void schemaOneIsRefused() throws Exception {
        fake.manifest("old/app", "1", "application/vnd.docker.distribution.manifest.v1+prettyjws", bytes(
                "{\"schemaVersion\":1,\"name\":\"old/app\",\"tag\":\"1\",\"architecture\":\"amd64\",\"fsLayers\":"
                        + "[{\"blobSum\":\"sha256:" + "a".repeat(64)
                        + "\"}],\"history\":[{\"v1Compatibility\":\"{}\"}]}"));
        String ref = fake.address() + "/old/app:1";

        assertThatThrownBy(() -> read(ref, new RecordingSink()))
                .hasMessage("registry " + ref + ": schema 1 manifests are not supported (push the image again with a"
                        + " current client)");
    }

    @Test
    void aManifestOfAnotherKindIsRefused() throws Exception {
        fake.manifest("charts/app", "1", "application/vnd.example.thing+json",
                bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing+json\",\"config\":{}}"));
        String ref = fake.address() + "/charts/app:1";

        assertThatThrownBy(() -> read(ref, new RecordingSink()))
                .hasMessage("registry " + ref + ": the manifest is neither a Docker v2 schema 2 nor an OCI image"
                        + " manifest, nor a list of them");
    }

    @Test
    void aPinnedDigestMustGetExactlyThatManifest() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        String pinned = "sha256:" + "b".repeat(64);
        fake.manifestAt("shop/app", pinned, OCI_MANIFEST, image.manifest());
        String ref = fake.address() + "/shop/app@" + pinned;

        assertThatThrownBy(() -> read(ref, new RecordingSink()))
                .hasMessage("registry " + ref + ": the registry served a manifest with digest "
                        + image.manifestDigest() + " for " + pinned);
    }

    @Test
    void aListEntryMustGetExactlyTheManifestItNames() throws Exception {
        FakeImage good = image("shop/app", "amd64");
        FakeImage other = image("shop/other", "x");
        // the index names good's digest, but under that digest the registry serves other's bytes
        ObjectNode index = TestImages.JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.putArray("manifests").addObject().put("mediaType", OCI_MANIFEST).put("digest", good.manifestDigest())
                .put("size", good.manifest().length).putObject("platform").put("os", "linux")
                .put("architecture", "amd64");
        fake.manifest("shop/app", "multi", "application/vnd.oci.image.index.v1+json",
                TestImages.JSON.writeValueAsBytes(index));
        fake.manifestAt("shop/app", good.manifestDigest(), OCI_MANIFEST, other.manifest());
        String ref = fake.address() + "/shop/app:multi";

        assertThatThrownBy(() -> read(ref, new RecordingSink()))
                .hasMessage("registry " + ref + ": the registry served a manifest with digest " + other.manifestDigest()
                        + " for " + good.manifestDigest() + " (linux/amd64)");
    }

    @Test
    void aLayerLongerThanItsDescriptorIsCutOff() throws Exception {
        FakeImage image = image("shop/app", "1.0", List.of(bytes("twenty bytes exactly")), 10);

        assertThatThrownBy(() -> read(image.ref(), new RecordingSink()))
                .hasMessage("registry " + image.ref() + ": layer " + image.layers().get(0)
                        + " is larger than the 10 bytes its descriptor gives");
    }

    @Test
    void aLayerListedTwiceIsDeliveredOnce() throws Exception {
        byte[] a = bytes("layer a");
        FakeImage image = image("shop/app", "1.0", List.of(a, bytes("layer b"), a));
        RecordingSink sink = new RecordingSink();

        ImageManifest m = read(image.ref(), sink);

        assertThat(m.layers()).extracting(LayerDescriptor::key).containsExactlyElementsOf(image.layers());
        assertThat(sink.blobs).hasSize(2);
        assertThat(fake.count("/blobs/" + image.layers().get(0))).isEqualTo(1);
    }

    /** A 64 MiB layer, made on the fly: while the sink waits, the registry can only send what the pipe holds. */
    @Test
    void aLargeLayerIsStreamedNotBuffered() throws Exception {
        long size = 64L << 20;
        MessageDigest sha = RecordingSink.sha256();
        try (InputStream in = pseudoRandom(size)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        fake.blob(digest, size, () -> pseudoRandom(size));
        FakeImage image = imageWithBlob(digest, size);
        AtomicLong sentWhileWaiting = new AtomicLong();
        RecordingSink sink = new RecordingSink() {
            @Override
            public void layer(String key, InputStream in) throws IOException {
                if (in.read() < 0) {
                    throw new IOException("empty");
                }
                sentWhileWaiting.set(settled(fake.blobBytesSent));
                super.layer(key, in);
            }
        };

        ImageManifest m = read(image.ref(), sink);

        assertThat(sentWhileWaiting.get()).as("bytes sent while the sink waited").isGreaterThan(0)
                .isLessThan(size / 2);
        assertThat(sink.blobs.get(digest).length()).isEqualTo(size - 1); // the sink's first byte was read above
        assertThat(m.layers()).extracting(LayerDescriptor::size).containsExactly(size);
    }

    @Test
    void aSinkFailureEndsTheReadWithThatFailure() throws Exception {
        long size = 64L << 20;
        fake.blob("sha256:" + "c".repeat(64), size, () -> pseudoRandom(size));
        FakeImage image = imageWithBlob("sha256:" + "c".repeat(64), size);
        LayerSink failing = (key, in) -> {
            in.read(new byte[100]);
            throw new IOException("corrupt tar in " + key);
        };

        assertThatThrownBy(() -> read(image.ref(), options(null, null, Duration.ofSeconds(10)), failing))
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt tar in sha256:" + "c".repeat(64));
        assertThat(fake.blobBytesSent.get()).isLessThan(size);
    }

    @Test
    void aSinkThatStopsReadingEarlyFailsTheRead() throws Exception {
        FakeImage image = image("shop/app", "1.0");
        LayerSink lazy = (key, in) -> in.read();

        assertThatThrownBy(() -> read(image.ref(), options(null, null, Duration.ofSeconds(10)), lazy))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the layer reader returned before the end of layer sha256:");
    }

    private FakeImage imageWithBlob(String digest, long size) throws IOException {
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        ObjectNode m = TestImages.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", fake.blob(config)).put("size", config.length);
        m.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                .put("digest", digest).put("size", size);
        byte[] bytes = TestImages.JSON.writeValueAsBytes(m);
        return new FakeImage(fake.address() + "/big/app:1", fake.manifest("big/app", "1", OCI_MANIFEST, bytes),
                List.of(digest), bytes);
    }

    /** Waits until the counter stops moving (the sender is blocked), then returns it. */
    private static long settled(AtomicLong counter) {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            long now = counter.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return counter.get();
    }

    private static InputStream pseudoRandom(long size) {
        Random random = new Random(42);
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
    }
}
