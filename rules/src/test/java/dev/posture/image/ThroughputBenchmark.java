package dev.posture.image;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.LayerDescriptor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The pass against plain decompression on a synthetic layer of about 200 MB gzip'd (written once to
 * {@code java.io.tmpdir}): {@code gzip -dc layer > /dev/null} versus {@link ImageInspector#inspect} reading the same
 * file. Prints figures, asserts none. Run:
 * {@code ./mvnw -o -q -pl rules test -Dtest=ThroughputBenchmark -Dposture.bench=true}
 */
@EnabledIfSystemProperty(named = "posture.bench", matches = "true")
class ThroughputBenchmark {
    /** "mixed": sizes like a root filesystem with large binaries; "small": only files up to 32 KiB. */
    private static final String SHAPE = System.getProperty("posture.bench.shape", "mixed");
    private static final Path LAYER = Path.of(System.getProperty("java.io.tmpdir"),
            "posture-bench-" + SHAPE + ".tar.gz");
    private static final Path DIFF_ID = Path.of(LAYER + ".diffid");
    private static final long TARGET_GZIP_BYTES = Long.getLong("posture.bench.bytes", 200L << 20);

    @Test
    void passVersusGzip() throws Exception {
        if (!Files.exists(DIFF_ID)) {
            write();
        }
        String diffId = Files.readString(DIFF_ID).trim();
        long stored = Files.size(LAYER);
        System.out.printf("layer: %s, %.1f MB stored%n", LAYER, stored / 1e6);
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("gzip", "-dc", LAYER.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            double gzip = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            ImageFacts f = new ImageInspector(ImageLimits.DEFAULT, 2).inspect("bench", null, source(diffId));
            double pass = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(LAYER), 1 << 16)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            double inflate = (System.nanoTime() - t0) / 1e9;
            long tar = f.layers().get(0).uncompressedSize();
            System.out.printf("run %d: gzip -dc %.2f s (%.0f MB/s of tar); pass %.2f s (%.0f MB/s), ratio %.2f;"
                            + " java.util.zip inflate alone %.2f s; %d entries, %d secrets%n", run, gzip,
                    tar / 1e6 / gzip, pass, tar / 1e6 / pass, pass / gzip, inflate, f.layers().get(0).entries(),
                    f.files().secrets().size());
        }
    }

    private static ImageSource source(String diffId) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        return new ImageSource() {
            @Override
            public String describe() {
                return "file " + LAYER;
            }

            @Override
            public String kind() {
                return "oci-layout";
            }

            @Override
            public ImageManifest read(dev.posture.image.source.LayerSink layers) throws IOException {
                try (InputStream in = Files.newInputStream(LAYER)) {
                    layers.layer("layer", in);
                }
                return new ImageManifest(null, null, config, null,
                        List.of(new LayerDescriptor("layer", null, -1, null)), List.of());
            }
        };
    }

    /** Files like a real root filesystem: many small text files, fewer large binaries, some near-incompressible. */
    private static void write() throws Exception {
        Random random = new Random(42);
        String[] words = new String[4096];
        for (int i = 0; i < words.length; i++) {
            words[i] = Long.toString(random.nextLong() & 0xffffffffL, 36);
        }
        MessageDigest tarDigest = MessageDigest.getInstance("SHA-256");
        Path tmp = Path.of(LAYER + ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp);
             GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16);
             DigestOutputStream digest = new DigestOutputStream(gz, tarDigest);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(digest)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            int n = 0;
            while (Files.size(tmp) < TARGET_GZIP_BYTES) {
                String dir = "usr/lib/pkg" + (n / 200) + "/";
                int kind = random.nextInt(100);
                int size = SHAPE.equals("small") ? 256 + random.nextInt(32 << 10)
                        : kind < 70 ? 512 + random.nextInt(16 << 10)      // small text and config
                        : kind < 95 ? 64 << 10 | random.nextInt(1 << 20)   // libraries
                        : 4 << 20 | random.nextInt(8 << 20);               // large binaries
                byte[] content = new byte[size];
                if (kind < 70 || (SHAPE.equals("small") && kind < 85)) {
                    StringBuilder sb = new StringBuilder(size + 16);
                    while (sb.length() < size) {
                        sb.append(words[random.nextInt(words.length)]).append(random.nextInt(8) == 0 ? '\n' : ' ');
                    }
                    System.arraycopy(sb.toString().getBytes(StandardCharsets.US_ASCII), 0, content, 0, size);
                } else {
                    // code-like: random bytes in short runs between zero padding and repeats (about 2.5:1)
                    for (int i = 0; i < size; ) {
                        int run = Math.min(size - i, 16 + random.nextInt(48));
                        if (random.nextInt(3) == 0) {
                            i += run;
                        } else if (random.nextBoolean() && i > 4096) {
                            System.arraycopy(content, i - 1 - random.nextInt(4000), content, i, run);
                            i += run;
                        } else {
                            for (int j = 0; j < run; j++) {
                                content[i++] = (byte) random.nextInt(256);
                            }
                        }
                    }
                }
                TarArchiveEntry e = new TarArchiveEntry(dir + "f" + n + (kind < 70 ? ".txt" : ".so"));
                e.setSize(size);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
                n++;
            }
        }
        Files.move(tmp, LAYER, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(DIFF_ID, "sha256:" + HexFormat.of().formatHex(tarDigest.digest()));
    }

}
