package dev.posture.image.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.testing.PodmanService;
import dev.posture.image.testing.RecordingSink;
import dev.posture.image.testing.Skopeo;
import dev.posture.image.testing.Tools;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Whole-source timings (run by scripts/bench-image-sources.sh, not a test): one image of six gzip layers of text-like
 * data (about 4:1), stored as an OCI layout, an uncompressed OCI archive, a gzip'd archive and in podman; each read
 * through its source into a sink that does what the inspector's first steps do (inflate, sha256 of stored and
 * uncompressed bytes), against {@code gzip -dc} of the same layers one after the other. Run with a small heap
 * (the script gives 64 MiB) it also shows that no source holds a layer.
 * Usage: SourcesBench WORKDIR [TOTAL_MB (256)] [RUNS (3)].
 */
public final class SourcesBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] SHARES = {0.40, 0.20, 0.15, 0.10, 0.10, 0.05};

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/posture-bench-sources");
        long total = (args.length > 1 ? Long.parseLong(args[1]) : 256) << 20;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path layout = work.resolve("layout");
        List<Path> blobs = build(layout, total);
        Path archive = work.resolve("oci.tar");
        tar(layout, archive);
        Path gz = work.resolve("oci.tar.gz");
        try (InputStream in = Files.newInputStream(archive);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
            in.transferTo(out);
        }
        long stored = 0;
        for (Path b : blobs) {
            stored += Files.size(b);
        }
        System.out.printf("# image: %d layers, %d MiB uncompressed, %d MiB stored (gzip); %d cores%n", blobs.size(),
                total >> 20, stored >> 20, Runtime.getRuntime().availableProcessors());
        SourceOptions o = SourceOptions.defaults();
        time("gzip -dc of the layers, one after the other", runs, () -> {
            for (Path b : blobs) {
                Tools.run(List.of("sh", "-c", "gzip -dc < '" + b + "' > /dev/null"), Map.of(), Duration.ofMinutes(5));
            }
            return null;
        });
        time("OCI layout, 1 layer at a time", runs, () -> read(new OciLayoutSource(layout, o, 1)));
        time("OCI layout, 2 layers at a time", runs, () -> read(new OciLayoutSource(layout, o, 2)));
        time("OCI archive (tar), 1 at a time", runs, () -> read(new ArchiveSource(archive, o, 1)));
        time("OCI archive (tar), 2 at a time", runs, () -> read(new ArchiveSource(archive, o, 2)));
        time("OCI archive gzip'd (streamed)", runs, () -> read(new ArchiveSource(gz, o)));
        if (Tools.installed("podman") && Tools.installed("skopeo")) {
            Path saved = work.resolve("docker.tar");
            new Skopeo(work.resolve("skopeo")).copy("oci:" + layout + ":1.0",
                    "docker-archive:" + saved + ":bench/img:1.0");
            try (PodmanService podman = PodmanService.start(work.resolve("pm"))) {
                podman.load(saved);
                SourceOptions d = new SourceOptions(o.platform(), o.insecureRegistries(), null, null, o.dockerConfig(),
                        podman.host(), o.timeout());
                time("docker archive from podman save (file)", runs, () -> read(new ArchiveSource(saved, o)));
                time("podman save > /dev/null (the daemon's own cost)", runs, () -> {
                    List<String> cmd = new ArrayList<>(podman.flags());
                    cmd.addAll(List.of("save", "bench/img:1.0"));
                    Tools.run(List.of("sh", "-c", String.join(" ", cmd) + " > /dev/null"), Map.of(),
                            Duration.ofMinutes(5));
                    return null;
                });
                time("daemon (podman API, save streamed)", runs, () -> read(new DaemonSource("bench/img:1.0", d)));
            }
        }
        System.out.println("# peak RSS " + peakRss());
    }

    private static Object read(ImageSource s) throws Exception {
        RecordingSink sink = new RecordingSink();
        try (s) {
            sink.check(s.read(sink));
        }
        return null;
    }

    private static void time(String what, int runs, Callable<Object> run) throws Exception {
        run.call(); // warm-up
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run.call();
            ms.add((System.nanoTime() - t0) / 1_000_000);
        }
        ms.sort(null);
        System.out.printf("%-45s median %6d ms  (min %d, max %d, %d runs)%n", what, ms.get(ms.size() / 2), ms.get(0),
                ms.get(ms.size() - 1), runs);
    }

    /** Writes the OCI layout; returns its layer blobs. */
    private static List<Path> build(Path layout, long total) throws Exception {
        Path dir = layout.resolve("blobs/sha256");
        Files.createDirectories(dir);
        Random random = new Random(42);
        List<Path> blobs = new ArrayList<>();
        ArrayNode layers = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        for (int i = 0; i < SHARES.length; i++) {
            Path tmp = dir.resolve("tmp");
            MessageDigest storedMd = MessageDigest.getInstance("SHA-256");
            MessageDigest diffMd = MessageDigest.getInstance("SHA-256");
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 GZIPOutputStream gz = new GZIPOutputStream(new DigestOutputStream(file, storedMd), 1 << 16);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(gz, diffMd))) {
                long size = (long) (total * SHARES[i]);
                for (int f = 0; size > 0; f++) {
                    int n = (int) Math.min(size, 4 << 20);
                    TarArchiveEntry e = new TarArchiveEntry("usr/share/layer" + i + "/file" + f + ".txt");
                    e.setSize(n);
                    tar.putArchiveEntry(e);
                    tar.write(text(random, n));
                    tar.closeArchiveEntry();
                    size -= n;
                }
            }
            String hex = HexFormat.of().formatHex(storedMd.digest());
            Path blob = dir.resolve(hex);
            Files.move(tmp, blob);
            blobs.add(blob);
            layers.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                    .put("digest", "sha256:" + hex).put("size", Files.size(blob));
            diffIds.add("sha256:" + HexFormat.of().formatHex(diffMd.digest()));
        }
        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
        String configDigest = put(dir, JSON.writeValueAsBytes(config));
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest).put("size", JSON.writeValueAsBytes(config).length);
        manifest.set("layers", layers);
        byte[] m = JSON.writeValueAsBytes(manifest);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", put(dir, m)).put("size", m.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", "1.0");
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return blobs;
    }

    private static String put(Path dir, byte[] b) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        Files.write(dir.resolve(hex), b);
        return "sha256:" + hex;
    }

    private static final String[] WORDS = ("the of and to in is that for it as was with be by on not he this are or his"
            + " from at which but have an they you were her she there been one all we their has would when if so no"
            + " lib usr bin share config version package install depends description").split(" ");

    /** Text-like bytes: words and numbers, compressing about 4:1 as package files and binaries do. */
    private static byte[] text(Random r, int n) {
        StringBuilder sb = new StringBuilder(n + 64);
        while (sb.length() < n) {
            sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(8) == 0 ? "\n" : " ");
            if (r.nextInt(5) == 0) {
                sb.append(r.nextInt(100_000)).append(' ');
            }
        }
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    private static void tar(Path dir, Path out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(
                Files.newOutputStream(out), 1 << 16)); Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), dir.relativize(p).toString());
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }
    }

    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("unknown").replaceAll("\\s+", " ");
    }
}
