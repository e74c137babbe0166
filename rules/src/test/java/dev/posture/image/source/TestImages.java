package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds test images at test time and pushes them to a registry: with Jib's public API where it can express the
 * image, as {@code docker save} archives written with commons-compress (setuid bits, whiteouts) or OCI layouts with
 * several platforms pushed by skopeo otherwise. Every image holds a random file, so its blobs are its own and a
 * test may damage them in the registry's storage without touching another test's image.
 */
final class TestImages {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SKOPEO = Path.of("/usr/bin/skopeo");

    private TestImages() {
    }

    /** A file in a layer: path, content, mode (octal, setuid allowed). Content null for a directory. */
    record TarFile(String path, String content, int mode) {
        static TarFile file(String path, String content) {
            return new TarFile(path, content, 0644);
        }

        static TarFile dir(String path) {
            return new TarFile(path, null, 0755);
        }
    }

    /** What was pushed, read back from the registry by skopeo (not by the code under test). */
    record Pushed(String manifestDigest, String mediaType, String configDigest, List<String> layerDigests,
                  int manifestSize) {
    }

    /** Builds with Jib from scratch: {@code layers} layers of small files (the last one random), user, env, port. */
    static JibContainer jib(String reference, ImageFormat format, int layers, Path work) throws Exception {
        var builder = Jib.fromScratch()
                .setFormat(format)
                .setCreationTime(Instant.parse("2024-05-01T10:00:00Z"))
                .setUser("1000:1000")
                .setEnvironment(Map.of("APP_HOME", "/app", "MODE", "test"))
                .setExposedPorts(Port.tcp(8080))
                .addLabel("org.opencontainers.image.title", "posture test")
                .setEntrypoint("/app/run");
        for (int i = 0; i < layers; i++) {
            Path f = Files.writeString(work.resolve("file" + i + ".txt"),
                    i == layers - 1 ? UUID.randomUUID().toString() : "layer " + i + " of " + reference);
            builder.addFileEntriesLayer(FileEntriesLayer.builder().setName("layer" + i)
                    .addEntry(f, AbsoluteUnixPath.get("/app/file" + i + ".txt")).build());
        }
        return builder.containerize(Containerizer.to(RegistryImage.named(reference))
                .setAllowInsecureRegistries(true)
                .setToolName("posture-test")
                .setBaseImageLayersCache(Files.createDirectories(work.resolve("jib-base-cache")))
                .setApplicationLayersCache(Files.createDirectories(work.resolve("jib-app-cache"))));
    }

    /** A {@code docker save} archive (legacy layout: manifest.json, config, one {@code layer.tar} per layer). */
    static Path dockerArchive(Path file, String repoTag, String architecture, List<List<TarFile>> layers)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ArrayNode diffIds = JSON.createArrayNode();
        ArrayNode history = JSON.createArrayNode();
        List<String> layerPaths = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            byte[] tar = tar(layers.get(i));
            String diffId = RecordingSink.sha256(tar);
            String path = diffId.substring(7) + "/layer.tar";
            entries.put(path, tar);
            layerPaths.add(path);
            diffIds.add(diffId);
            history.addObject().put("created", "2024-05-01T10:00:00Z").put("created_by", "layer " + i);
        }
        ObjectNode config = JSON.createObjectNode().put("architecture", architecture).put("os", "linux")
                .put("created", "2024-05-01T10:00:00Z");
        config.putObject("config").put("User", "root").putArray("Env").add("PATH=/usr/bin:/bin");
        config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
        config.set("history", history);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configName = RecordingSink.sha256(configBytes).substring(7) + ".json";
        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode m = manifest.addObject().put("Config", configName);
        m.putArray("RepoTags").add(repoTag);
        ArrayNode l = m.putArray("Layers");
        layerPaths.forEach(l::add);
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(configName, configBytes);
        all.putAll(entries);
        all.put("manifest.json", JSON.writeValueAsBytes(manifest));
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            for (var e : all.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                t.putArchiveEntry(entry);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        return file;
    }

    /** A layer with a setuid binary, a secret, and a later whiteout of it (what Jib cannot express). */
    static List<List<TarFile>> setuidAndWhiteout() {
        return List.of(
                List.of(TarFile.dir("usr/"), TarFile.dir("usr/bin/"), new TarFile("usr/bin/su", "#!/bin/sh\n", 04755),
                        TarFile.dir("etc/"), TarFile.file("etc/secret.env", "TOKEN=" + UUID.randomUUID())),
                List.of(TarFile.dir("etc/"), TarFile.file("etc/.wh.secret.env", "")));
    }

    static byte[] tar(List<TarFile> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (TarFile f : files) {
                TarArchiveEntry e = new TarArchiveEntry(f.path());
                e.setMode((f.content() == null ? TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 : 0100000) | f.mode());
                e.setModTime(0);
                byte[] content = f.content() == null ? new byte[0] : f.content().getBytes(StandardCharsets.UTF_8);
                e.setSize(content.length);
                t.putArchiveEntry(e);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** One platform of an OCI layout: its manifest's digest and layer digest. */
    record PlatformImage(String platform, String manifestDigest, String layerDigest) {
    }

    /** An OCI layout (tag {@code ref}) whose index lists one small image per platform ("linux/arm/v7"). */
    static Map<String, PlatformImage> ociLayoutWithPlatforms(Path dir, String ref, List<String> platforms)
            throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Map<String, PlatformImage> out = new LinkedHashMap<>();
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        String salt = UUID.randomUUID().toString();
        for (String platform : platforms) {
            String[] p = platform.split("/");
            byte[] tar = tar(List.of(TarFile.dir("etc/"), TarFile.file("etc/platform", platform + " " + salt)));
            byte[] layer = gzip(tar);
            String layerDigest = blob(dir, layer);
            ObjectNode config = JSON.createObjectNode().put("architecture", p[1]).put("os", p[0]);
            if (p.length > 2) {
                config.put("variant", p[2]);
            }
            config.putObject("config").put("User", "nobody");
            config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(RecordingSink.sha256(tar));
            byte[] configBytes = JSON.writeValueAsBytes(config);
            String configDigest = blob(dir, configBytes);
            ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                    .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                    .put("digest", configDigest).put("size", configBytes.length);
            manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                    .put("digest", layerDigest).put("size", layer.length);
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            String manifestDigest = blob(dir, manifestBytes);
            ObjectNode entry = manifests.addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                    .put("digest", manifestDigest).put("size", manifestBytes.length);
            ObjectNode plat = entry.putObject("platform").put("architecture", p[1]).put("os", p[0]);
            if (p.length > 2) {
                plat.put("variant", p[2]);
            }
            out.put(platform, new PlatformImage(platform, manifestDigest, layerDigest));
        }
        byte[] indexBytes = JSON.writeValueAsBytes(index);
        String indexDigest = blob(dir, indexBytes);
        ObjectNode top = JSON.createObjectNode().put("schemaVersion", 2);
        top.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.index.v1+json")
                .put("digest", indexDigest).put("size", indexBytes.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", ref);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(top));
        out.put("index", new PlatformImage("index", indexDigest, null));
        return out;
    }

    private static String blob(Path layout, byte[] bytes) throws IOException {
        String digest = RecordingSink.sha256(bytes);
        Files.write(layout.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);
        return digest;
    }

    /** Puts a Docker manifest list over manifests already in {@code repo} (skopeo writes no lists from archives). */
    static String putDockerManifestList(String registry, String repo, String tag, List<Pushed> images,
                                        List<String> platforms) throws Exception {
        ObjectNode list = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.docker.distribution.manifest.list.v2+json");
        ArrayNode manifests = list.putArray("manifests");
        for (int i = 0; i < images.size(); i++) {
            String[] p = platforms.get(i).split("/");
            manifests.addObject().put("mediaType", images.get(i).mediaType())
                    .put("digest", images.get(i).manifestDigest()).put("size", images.get(i).manifestSize())
                    .putObject("platform").put("architecture", p[1]).put("os", p[0]);
        }
        byte[] body = JSON.writeValueAsBytes(list);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + registry + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.docker.distribution.manifest.list.v2+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IOException("PUT manifest list: HTTP " + r.statusCode() + " " + r.body());
        }
        return RecordingSink.sha256(body);
    }

    /** Runs skopeo (no policy file, no user auth file); skips the test when skopeo is not installed. */
    static String skopeo(Path work, String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(SKOPEO), "skopeo is not installed (apt-get install -y skopeo)");
        List<String> command = new ArrayList<>(List.of(SKOPEO.toString(), "--insecure-policy"));
        command.addAll(List.of(args));
        Path tmp = Files.createDirectories(work.resolve("skopeo-tmp"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().put("REGISTRY_AUTH_FILE", work.resolve("skopeo-auth.json").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("skopeo " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Copies an archive or layout to {@code docker://reference} over plain HTTP. */
    static void push(Path work, String source, String reference, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("copy", "-q", "--dest-tls-verify=false"));
        args.addAll(List.of(extra));
        args.add(source);
        args.add("docker://" + reference);
        skopeo(work, args.toArray(String[]::new));
    }

    /** What the registry holds under {@code reference}, as skopeo reads it. */
    static Pushed inspect(Path work, String reference, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false"));
        args.addAll(List.of(extra));
        args.add("docker://" + reference);
        String raw = skopeo(work, args.toArray(String[]::new));
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        JsonNode m = JSON.readTree(bytes);
        List<String> layers = new ArrayList<>();
        m.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
        String mediaType = m.path("mediaType").asText(m.has("manifests")
                ? "application/vnd.oci.image.index.v1+json" : "application/vnd.oci.image.manifest.v1+json");
        return new Pushed(RecordingSink.sha256(bytes), mediaType, m.path("config").path("digest").asText(null),
                layers, bytes.length);
    }
}
