package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.posture.image.testing.LocalRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RegistrySource} against a real registry ({@code docker-registry}) holding images Jib and skopeo pushed. */
class RegistrySourceTest {
    static final java.util.logging.Logger JIB = java.util.logging.Logger.getLogger("com.google.cloud.tools.jib");
    static LocalRegistry registry;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        JIB.setLevel(java.util.logging.Level.WARNING); // jib's routine fallback-to-HTTP notes
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
    }

    static SourceOptions options() {
        return options(Platform.DEFAULT);
    }

    static SourceOptions options(Platform platform) {
        return new SourceOptions(platform, Set.of(), null, null, work.resolve("no-docker-config.json"), null,
                Duration.ofSeconds(10));
    }

    static ImageManifest read(String reference, SourceOptions options, RecordingSink sink) throws Exception {
        try (RegistrySource source = new RegistrySource(ImageReference.parse(reference), options)) {
            return source.read(sink);
        }
    }

    /** The manifest, config and every layer arrive as the registry holds them (skopeo's view, not ours). */
    static void assertDelivered(String reference, ImageManifest m, RecordingSink sink) throws Exception {
        TestImages.Pushed pushed = TestImages.inspect(work, reference);
        assertThat(m.manifestDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(m.mediaType()).isEqualTo(pushed.mediaType());
        assertThat(m.configDigest()).isEqualTo(pushed.configDigest()).isEqualTo(RecordingSink.sha256(m.config()));
        assertThat(m.layers()).extracting(LayerDescriptor::digest).containsExactlyElementsOf(pushed.layerDigests());
        assertThat(m.layers()).extracting(LayerDescriptor::key).containsExactlyElementsOf(pushed.layerDigests());
        assertThat(m.repoTags()).isEmpty();
        for (LayerDescriptor l : m.layers()) {
            RecordingSink.Blob blob = sink.blobs.get(l.key());
            assertThat(blob).as("layer %s delivered", l.key()).isNotNull();
            assertThat(blob.sha256()).isEqualTo(l.digest());
            assertThat(blob.length()).isEqualTo(l.size());
            assertThat(l.mediaType()).isNotBlank();
        }
        assertThat(sink.blobs).hasSameSizeAs(Set.copyOf(pushed.layerDigests()));
        assertThat(sink.maxActive.get()).isLessThanOrEqualTo(RegistryBlobs.PARALLEL_LAYERS);
    }

    @Test
    void dockerV2Schema2ImageBuiltByJib() throws Exception {
        String ref = registry.address() + "/shop/storefront:1.0";
        JibContainer pushed = TestImages.jib(ref, ImageFormat.Docker, 3, Files.createTempDirectory(work, "jib"));
        RecordingSink sink = new RecordingSink();

        ImageManifest m = read(ref, options(), sink);

        assertThat(m.mediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(m.manifestDigest()).isEqualTo(pushed.getDigest().toString());
        assertThat(m.layers()).hasSize(3).allSatisfy(l ->
                assertThat(l.mediaType()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip"));
        assertDelivered(ref, m, sink);
        JsonNode config = TestImages.JSON.readTree(m.config());
        assertThat(config.at("/config/User").asText()).isEqualTo("1000:1000");
        assertThat(config.at("/config/Env").toString()).contains("APP_HOME=/app");
        assertThat(config.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void ociImageBuiltByJib() throws Exception {
        String ref = registry.address() + "/shop/oci:2.0";
        JibContainer pushed = TestImages.jib(ref, ImageFormat.OCI, 2, Files.createTempDirectory(work, "jib"));
        RecordingSink sink = new RecordingSink();

        ImageManifest m = read(ref, options(), sink);

        assertThat(m.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(m.manifestDigest()).isEqualTo(pushed.getDigest().toString());
        assertThat(m.layers()).allSatisfy(l ->
                assertThat(l.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
        assertDelivered(ref, m, sink);
    }

    @Test
    void dockerArchiveWithSetuidAndWhiteoutPushedBySkopeoAsOciAndAsV2Schema2() throws Exception {
        Path archive = TestImages.dockerArchive(work.resolve("setuid.tar"), "setuid:1", "amd64",
                TestImages.setuidAndWhiteout());
        String oci = registry.address() + "/tools/setuid:oci";
        String docker = registry.address() + "/tools/setuid:v2s2";
        TestImages.push(work, "docker-archive:" + archive, oci, "--format", "oci");
        TestImages.push(work, "docker-archive:" + archive, docker, "--format", "v2s2");

        RecordingSink ociSink = new RecordingSink();
        ImageManifest ociManifest = read(oci, options(), ociSink);
        RecordingSink dockerSink = new RecordingSink();
        ImageManifest dockerManifest = read(docker, options(), dockerSink);

        assertThat(ociManifest.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(dockerManifest.mediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(ociManifest.layers()).hasSize(2);
        assertDelivered(oci, ociManifest, ociSink);
        assertDelivered(docker, dockerManifest, dockerSink);
    }

    @Test
    void ociIndexIsNarrowedToThePlatformAskedFor() throws Exception {
        List<String> platforms = List.of("linux/amd64", "linux/arm64", "linux/arm/v6", "linux/arm/v7");
        Map<String, TestImages.PlatformImage> layout =
                TestImages.ociLayoutWithPlatforms(work.resolve("multi"), "multi", platforms);
        String ref = registry.address() + "/base/multi:1";
        TestImages.push(work, "oci:" + work.resolve("multi") + ":multi", ref, "--all", "--preserve-digests");

        for (String platform : platforms) {
            RecordingSink sink = new RecordingSink();
            ImageManifest m = read(ref, options(Platform.parse(platform)), sink);
            assertThat(m.manifestDigest()).as(platform).isEqualTo(layout.get(platform).manifestDigest());
            assertThat(m.layers()).extracting(LayerDescriptor::digest)
                    .containsExactly(layout.get(platform).layerDigest());
            assertThat(sink.blobs).containsOnlyKeys(layout.get(platform).layerDigest());
            JsonNode config = TestImages.JSON.readTree(m.config());
            assertThat(config.path("architecture").asText()).isEqualTo(platform.split("/")[1]);
        }
        // the default platform is linux/amd64
        assertThat(read(ref, options(), new RecordingSink()).manifestDigest())
                .isEqualTo(layout.get("linux/amd64").manifestDigest());

        assertThatThrownBy(() -> read(ref, options(Platform.parse("linux/s390x")), new RecordingSink()))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + ref + ": no manifest for linux/s390x in the index (it has linux/amd64,"
                        + " linux/arm64, linux/arm)");
        assertThatThrownBy(() -> read(ref, options(Platform.parse("linux/arm")), new RecordingSink()))
                .hasMessage("registry " + ref + ": the index has several manifests for linux/arm (linux/arm/v6,"
                        + " linux/arm/v7): name one with --platform");
        assertThatThrownBy(() -> read(ref, options(Platform.parse("linux/arm/v5")), new RecordingSink()))
                .hasMessage("registry " + ref + ": no manifest for linux/arm/v5 in the index (it has linux/arm/v6,"
                        + " linux/arm/v7)");
    }

    @Test
    void dockerManifestListAndPinnedDigests() throws Exception {
        List<TestImages.Pushed> children = new java.util.ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            Path archive = TestImages.dockerArchive(work.resolve("list-" + arch + ".tar"), "list:" + arch, arch,
                    List.of(List.of(TestImages.TarFile.file("arch", arch + " " + java.util.UUID.randomUUID()))));
            String child = registry.address() + "/base/list:" + arch;
            TestImages.push(work, "docker-archive:" + archive, child, "--format", "v2s2");
            children.add(TestImages.inspect(work, child));
        }
        String listDigest = TestImages.putDockerManifestList(registry.address(), "base/list", "1", children,
                List.of("linux/amd64", "linux/arm64"));
        String ref = registry.address() + "/base/list:1";

        ImageManifest arm = read(ref, options(Platform.parse("linux/arm64")), new RecordingSink());
        assertThat(arm.manifestDigest()).isEqualTo(children.get(1).manifestDigest());
        assertThat(arm.mediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");

        // pinned: the list by its digest, then a platform manifest by its own
        String pinnedList = registry.address() + "/base/list@" + listDigest;
        RecordingSink sink = new RecordingSink();
        ImageManifest amd = read(pinnedList, options(), sink);
        assertThat(amd.manifestDigest()).isEqualTo(children.get(0).manifestDigest());
        assertThat(sink.blobs.keySet()).containsExactlyElementsOf(children.get(0).layerDigests());
        String pinnedImage = registry.address() + "/base/list:ignored@" + children.get(1).manifestDigest();
        assertThat(read(pinnedImage, options(), new RecordingSink()).manifestDigest())
                .isEqualTo(children.get(1).manifestDigest());

        assertThatThrownBy(() -> read(ref, options(Platform.parse("windows/amd64")), new RecordingSink()))
                .hasMessage("registry " + ref + ": no manifest for windows/amd64 in the manifest list (it has"
                        + " linux/amd64, linux/arm64)");
        String absent = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> read(registry.address() + "/base/list@" + absent, options(), new RecordingSink()))
                .hasMessage("registry " + registry.address() + "/base/list@" + absent + ": manifest " + absent
                        + " not found in base/list (HTTP 404)");
    }

    @Test
    void missingManifestAndRepository() throws Exception {
        TestImages.jib(registry.address() + "/shop/tags:1.0", ImageFormat.Docker, 1,
                Files.createTempDirectory(work, "jib"));
        String missingTag = registry.address() + "/shop/tags:2.0";
        assertThatThrownBy(() -> read(missingTag, options(), new RecordingSink()))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + missingTag + ": manifest 2.0 not found in shop/tags (HTTP 404)");
        String missingRepo = registry.address() + "/nobody/here";
        assertThatThrownBy(() -> read(missingRepo, options(), new RecordingSink()))
                .hasMessage("registry " + missingRepo + ": manifest latest not found in nobody/here (HTTP 404)");
    }

    @Test
    void blobDeletedFromTheRegistryStorage() throws Exception {
        String ref = registry.address() + "/shop/broken:1";
        TestImages.jib(ref, ImageFormat.Docker, 2, Files.createTempDirectory(work, "jib"));
        String layer = TestImages.inspect(work, ref).layerDigests().get(1); // the image's own (random) layer
        Files.delete(registry.blobData(layer));
        RecordingSink sink = new RecordingSink();

        assertThatThrownBy(() -> read(ref, options(), sink))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + ref + ": blob " + layer + " (layer) not found in shop/broken (HTTP 404)");
        assertThat(sink.blobs).doesNotContainKey(layer);
    }

    @Test
    void layerWhoseBytesWereAlteredInTheRegistryStorage() throws Exception {
        String ref = registry.address() + "/shop/tampered:1";
        TestImages.jib(ref, ImageFormat.OCI, 2, Files.createTempDirectory(work, "jib"));
        String layer = TestImages.inspect(work, ref).layerDigests().get(1);
        Path data = registry.blobData(layer);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x5a; // same length, other bytes
        Files.write(data, bytes);
        RecordingSink sink = new RecordingSink();

        assertThatThrownBy(() -> read(ref, options(), sink))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + ref + ": layer " + layer + " does not match its digest");
        assertThat(sink.blobs).as("the sink never saw a clean end of the altered layer").doesNotContainKey(layer);
    }

    @Test
    void layersAreReadTwoAtATime() throws Exception {
        String ref = registry.address() + "/shop/parallel:1";
        TestImages.jib(ref, ImageFormat.Docker, 4, Files.createTempDirectory(work, "jib"));
        CyclicBarrier pair = new CyclicBarrier(2);
        RecordingSink sink = new RecordingSink() {
            @Override
            void started(String key) throws IOException {
                try { // passes only when a second layer is being read at the same time
                    pair.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IOException("layers were not read in parallel", e);
                }
            }
        };

        ImageManifest m = read(ref, options(), sink);

        assertThat(sink.blobs).hasSize(4);
        assertThat(sink.maxActive.get()).isEqualTo(2);
        assertDelivered(ref, m, sink);
    }

    @Test
    void nothingListensOnThePort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String ref = "127.0.0.1:" + port + "/shop/app:1.0";
        assertThatThrownBy(() -> read(ref, options(), new RecordingSink()))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("registry " + ref + ": cannot connect to 127.0.0.1:" + port + " (")
                .hasMessageContaining("Connection refused")
                .hasMessageEndingWith(") after 3 attempts");
    }
}
