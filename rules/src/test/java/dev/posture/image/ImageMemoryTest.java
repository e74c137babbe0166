package dev.posture.image;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.LayerDescriptor;
import dev.posture.image.source.LayerSink;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A layer far larger than the heap goes through the pass in a JVM with a 48 MB heap: the layer is generated while
 * it is read (a pipe), so neither side ever holds it; memory follows the number of files, not their bytes.
 */
class ImageMemoryTest {
    static final int BIG_FILES = 40;
    static final int BIG_FILE_BYTES = 5 << 20; // 200 MB of tar in all
    static final int SMALL_FILES = 20_000;

    /** Entry point of the forked JVM: inspects the generated image and prints its figures. */
    public static void main(String[] args) throws Exception {
        ImageFacts f = new ImageInspector(ImageLimits.DEFAULT, 1).inspect("generated", null, new Generated());
        System.out.println("files " + f.files().count() + " bytes " + f.files().bytes() + " tar "
                + f.layers().get(0).uncompressedSize() + " secrets " + f.files().secrets().size() + " packages "
                + f.packages().size() + " heap-mb " + (Runtime.getRuntime().totalMemory() >> 20));
    }

    @Test
    void aLayerFourTimesTheHeapIsReadInAFortyEightMegabyteHeap() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ImageMemoryTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("OutOfMemoryError")
                .contains("files " + (BIG_FILES + SMALL_FILES + 3) + " ",
                        "secrets 1 packages 2000");
        long tar = Long.parseLong(out.replaceAll("(?s).* tar (\\d+) .*", "$1"));
        assertThat(tar).isGreaterThan((long) BIG_FILES * BIG_FILE_BYTES);
    }

    /** One gzip layer written by a thread into a pipe while the sink reads it. */
    static final class Generated implements ImageSource {
        @Override
        public String describe() {
            return "generated";
        }

        @Override
        public String kind() {
            return "archive";
        }

        @Override
        public ImageManifest read(LayerSink layers) throws IOException {
            PipedInputStream in = new PipedInputStream(1 << 16);
            PipedOutputStream out = new PipedOutputStream(in);
            Thread writer = new Thread(() -> {
                try (out) {
                    write(out);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            layers.layer("layer", in);
            byte[] config = "{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:00\"]}}"
                    .getBytes(StandardCharsets.UTF_8);
            return new ImageManifest(null, null, config, null, List.of(new LayerDescriptor("layer", null, -1, null)),
                    List.of());
        }

        private static void write(OutputStream out) throws IOException {
            GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                StringBuilder status = new StringBuilder();
                for (int i = 0; i < 2000; i++) {
                    status.append("Package: pkg").append(i).append("\nStatus: install ok installed\nVersion: 1.")
                            .append(i).append("\nArchitecture: amd64\n\n");
                }
                put(tar, "var/lib/dpkg/status", status.toString().getBytes(StandardCharsets.UTF_8));
                put(tar, "app/.env", "API_TOKEN=abcdefabcdef0123\n".getBytes(StandardCharsets.UTF_8));
                put(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8));
                byte[] line = "0123456789abcdef line of a large generated file, compressible but not a bomb\n"
                        .getBytes(StandardCharsets.UTF_8);
                byte[] chunk = new byte[1 << 16];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = line[i % line.length];
                }
                for (int f = 0; f < BIG_FILES; f++) {
                    TarArchiveEntry e = new TarArchiveEntry("opt/big/file" + f);
                    e.setSize(BIG_FILE_BYTES);
                    tar.putArchiveEntry(e);
                    for (int done = 0; done < BIG_FILE_BYTES; done += chunk.length) {
                        chunk[0] = (byte) done; // not one repeated block
                        tar.write(chunk, 0, Math.min(chunk.length, BIG_FILE_BYTES - done));
                    }
                    tar.closeArchiveEntry();
                }
                for (int f = 0; f < SMALL_FILES; f++) {
                    put(tar, "usr/share/many/dir" + (f / 100) + "/file-with-a-longish-name-" + f + ".txt",
                            ("small file " + f + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        }
    }
}
