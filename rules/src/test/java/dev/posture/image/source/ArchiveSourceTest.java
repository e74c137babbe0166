package dev.posture.image.source;

import dev.posture.image.testing.FixtureImage;
import dev.posture.image.testing.FixtureImage.Compression;
import dev.posture.image.testing.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker save (legacy, Docker 25+) and OCI archives, read at random from a file and as a stream. */
class ArchiveSourceTest {
    static final FixtureImage IMAGE = FixtureImage.builder()
            .layer(Map.of("etc/os-release", "ID=debian\n"))
            .layer(Map.of("usr/bin/app", "#!/bin/sh\necho app\n", "etc/app.conf", "x=1\n"))
            .layer(Map.of("srv/data.txt", "data\n"))
            .tag("demo/app:1.0").build();

    static SourceOptions options() {
        return SourceOptions.defaults();
    }

    static ImageManifest readFile(Path file, RecordingSink sink) throws Exception {
        try (ImageSource s = new ArchiveSource(file, options())) {
            assertThat(s.kind()).isEqualTo("archive");
            assertThat(s.describe()).isEqualTo("archive " + file);
            return s.read(sink);
        }
    }

    static ImageManifest readStream(Path file, RecordingSink sink) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new DockerArchiveReader("archive " + file, Platform.DEFAULT).read(in, sink);
        }
    }

    static Path gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Files.write(gz, FixtureImage.gzip(Files.readAllBytes(file)));
        return gz;
    }

    @Test
    void legacyDockerSaveAtRandomAsAStreamAndGzipped(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("legacy.tar");
        IMAGE.writeDockerLegacy(tar, false);
        for (int mode = 0; mode < 3; mode++) {
            RecordingSink sink = new RecordingSink();
            ImageManifest m = switch (mode) {
                case 0 -> readFile(tar, sink);
                case 1 -> readStream(tar, sink);
                default -> readFile(gzip(tar), sink);
            };
            assertThat(sink.check(m)).isEqualTo(IMAGE.diffIds());
            assertThat(m.layers()).allSatisfy(l -> {
                assertThat(l.key()).matches("[0-9a-f]{64}/layer\\.tar");
                assertThat(l.digest()).isNull(); // a layer.tar promises nothing: the config's diff_ids are checked
            });
            assertThat(m.configDigest()).isEqualTo(IMAGE.configDigest());
            assertThat(m.config()).isEqualTo(IMAGE.config());
            assertThat(m.repoTags()).containsExactly("demo/app:1.0");
            assertThat(m.manifestDigest()).isNull();
            assertThat(sink.blobs()).hasSize(3);
        }
    }

    @Test
    void manifestJsonFirstOrLastIsAllTheSameToTheStream(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.tar");
        Path last = dir.resolve("last.tar");
        IMAGE.writeDockerLegacy(first, true);
        IMAGE.writeDockerLegacy(last, false);
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        assertThat(a.check(readStream(first, a))).isEqualTo(b.check(readStream(last, b))).isEqualTo(IMAGE.diffIds());
        // a stream delivers in archive order: bottom layer first here
        assertThat(a.order()).hasSize(3);
    }

    @Test
    void docker25LayoutPromisesBlobDigestsAndTakesTheManifestDigestFromItsIndex(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("d25.tar");
        IMAGE.writeDocker25(tar);
        for (boolean stream : new boolean[]{false, true}) {
            RecordingSink sink = new RecordingSink();
            ImageManifest m = stream ? readStream(tar, sink) : readFile(tar, sink);
            assertThat(sink.check(m)).isEqualTo(IMAGE.diffIds());
            assertThat(m.layers()).extracting(LayerDescriptor::key).isEqualTo(IMAGE.diffIds());
            assertThat(m.layers()).extracting(LayerDescriptor::digest).isEqualTo(IMAGE.diffIds());
            assertThat(m.layers()).allSatisfy(l -> assertThat(l.mediaType()).endsWith(".tar"));
            assertThat(m.configDigest()).isEqualTo(IMAGE.configDigest());
            assertThat(m.repoTags()).containsExactly("demo/app:1.0");
            assertThat(m.manifestDigest()).startsWith("sha256:");
            assertThat(m.mediaType()).isEqualTo(FixtureImage.OCI_MANIFEST);
            // config and manifest blobs are JSON: kept, never delivered as layers
            assertThat(sink.blobs().keySet()).containsExactlyInAnyOrderElementsOf(IMAGE.diffIds());
        }
    }

    @Test
    void ociArchivesWithGzipZstdOrPlainLayers(@TempDir Path dir) throws Exception {
        for (Compression c : Compression.values()) {
            Path layout = dir.resolve("layout-" + c);
            IMAGE.writeOciLayout(layout, c, "1.0");
            Path tar = dir.resolve("oci-" + c + ".tar");
            FixtureImage.tarDirectory(layout, tar);
            for (boolean stream : new boolean[]{false, true}) {
                RecordingSink sink = new RecordingSink();
                ImageManifest m = stream ? readStream(tar, sink) : readFile(tar, sink);
                assertThat(sink.check(m)).as(c + (stream ? " stream" : " file")).isEqualTo(IMAGE.diffIds());
                assertThat(m.layers()).allSatisfy(l -> {
                    assertThat(l.key()).isEqualTo(l.digest());
                    assertThat(l.mediaType()).isEqualTo(c == Compression.NONE
                            ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.oci.image.layer.v1.tar+"
                            + c.name().toLowerCase());
                });
                assertThat(m.repoTags()).containsExactly("1.0");
                assertThat(m.manifestDigest()).startsWith("sha256:");
            }
        }
    }

    @Test
    void atRandomOnlyTheImagesLayersAreDeliveredAStreamDeliversEveryLayerLikeBlob(@TempDir Path dir) throws Exception {
        FixtureImage other = FixtureImage.builder().layer(Map.of("other", "other")).build();
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        other.ociBlobs(Compression.GZIP, blobs); // blobs of an image the index does not list
        var d = IMAGE.ociBlobs(Compression.GZIP, blobs);
        Path layout = dir.resolve("layout");
        FixtureImage.writeOciLayout(layout, blobs, List.of(d));
        Path tar = dir.resolve("oci.tar");
        FixtureImage.tarDirectory(layout, tar);
        RecordingSink random = new RecordingSink();
        RecordingSink stream = new RecordingSink();
        ImageManifest m = readFile(tar, random);
        assertThat(random.check(m)).isEqualTo(stream.check(readStream(tar, stream)));
        assertThat(random.blobs()).hasSize(3);
        assertThat(stream.blobs()).hasSize(4); // the sink ignores what the manifest does not list
    }

    @Test
    void anArchiveFileDeliversTwoLayersAtOnce(@TempDir Path dir) throws Exception {
        FixtureImage.Builder b = FixtureImage.builder();
        for (int i = 0; i < 6; i++) {
            b.randomLayer("f" + i, 100_000 + i, i);
        }
        FixtureImage image = b.build();
        Path tar = dir.resolve("six.tar");
        image.writeDockerLegacy(tar, false);
        // the first two deliveries wait for each other: with one thread this would time out
        CyclicBarrier both = new CyclicBarrier(2);
        AtomicInteger seen = new AtomicInteger();
        RecordingSink sink = new RecordingSink(key -> {
            if (seen.getAndIncrement() < 2) {
                try {
                    both.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IOException("the first two layers were not delivered at the same time", e);
                }
            }
        });
        ImageManifest m = readFile(tar, sink);
        assertThat(sink.check(m)).isEqualTo(image.diffIds());
        Set<String> threads = new HashSet<>();
        sink.blobs().values().forEach(x -> threads.add(x.thread()));
        assertThat(threads).hasSize(2);
    }

    @Test
    void theFirstFailingDeliveryIsWhatReadThrows(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("legacy.tar");
        IMAGE.writeDockerLegacy(tar, false);
        String victim = IMAGE.diffIds().get(1);
        AtomicInteger calls = new AtomicInteger();
        RecordingSink sink = new RecordingSink(key -> {
            calls.incrementAndGet();
            throw new IOException("sink refuses " + key);
        });
        assertThatThrownBy(() -> readFile(tar, sink)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("sink refuses");
        assertThat(calls.get()).isBetween(1, 2); // no layer is started after a failure
        assertThat(victim).isNotNull();
    }
}
