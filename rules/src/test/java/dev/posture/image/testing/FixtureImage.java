package dev.posture.image.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A small image built in memory (layers are tars of the files given, the config lists their diff_ids) and written
 * the ways tools store images: {@code docker save} legacy and Docker 25+ archives, OCI image layouts (uncompressed,
 * gzip or zstd layers) and OCI archives. Deterministic: the same image gives the same bytes.
 */
public final class FixtureImage {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    public enum Compression {
        NONE("application/vnd.oci.image.layer.v1.tar"),
        GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
        ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

        final String mediaType;

        Compression(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    /** One tar entry for {@link #writeTar}: a file, or a symbolic link when linkTarget is set. */
    public record Entry(String name, byte[] content, String linkTarget) {
        public static Entry file(String name, byte[] content) {
            return new Entry(name, content, null);
        }

        public static Entry file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        public static Entry symlink(String name, String target) {
            return new Entry(name, null, target);
        }
    }

    private final List<byte[]> layers;
    private final byte[] config;
    private final List<String> tags;
    private final String os;
    private final String architecture;

    private FixtureImage(List<byte[]> layers, byte[] config, List<String> tags, String os, String architecture) {
        this.layers = layers;
        this.config = config;
        this.tags = tags;
        this.os = os;
        this.architecture = architecture;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<byte[]> layers = new ArrayList<>();
        private final List<String> tags = new ArrayList<>();
        private String os = "linux";
        private String architecture = "amd64";

        /** A layer holding these files (path → content), in this order. */
        public Builder layer(Map<String, String> files) {
            List<Entry> entries = new ArrayList<>();
            files.forEach((k, v) -> entries.add(Entry.file(k, v)));
            layers.add(tar(entries));
            return this;
        }

        /** A layer of {@code bytes} incompressible bytes in one file (for sizes that matter). */
        public Builder randomLayer(String path, int bytes, long seed) {
            byte[] b = new byte[bytes];
            new java.util.Random(seed).nextBytes(b);
            layers.add(tar(List.of(Entry.file(path, b))));
            return this;
        }

        public Builder tag(String tag) {
            tags.add(tag);
            return this;
        }

        public Builder platform(String os, String architecture) {
            this.os = os;
            this.architecture = architecture;
            return this;
        }

        public FixtureImage build() {
            ObjectNode c = JSON.createObjectNode();
            c.put("architecture", architecture).put("os", os).put("created", "2026-01-02T03:04:05Z");
            c.putObject("config").putArray("Cmd").add("/bin/sh");
            ObjectNode rootfs = c.putObject("rootfs").put("type", "layers");
            ArrayNode ids = rootfs.putArray("diff_ids");
            ArrayNode history = c.putArray("history");
            for (byte[] l : layers) {
                ids.add("sha256:" + sha256(l));
                history.addObject().put("created_by", "COPY layer " + ids.size());
            }
            try {
                return new FixtureImage(List.copyOf(layers), JSON.writeValueAsBytes(c), List.copyOf(tags), os,
                        architecture);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public List<String> diffIds() {
        return layers.stream().map(l -> "sha256:" + sha256(l)).toList();
    }

    public byte[] config() {
        return config.clone();
    }

    public String configDigest() {
        return "sha256:" + sha256(config);
    }

    public List<byte[]> layers() {
        return layers;
    }

    /**
     * {@code docker save} before Docker 25: {@code <id>/VERSION}, {@code <id>/json}, {@code <id>/layer.tar},
     * {@code <config hex>.json}, {@code repositories} and {@code manifest.json} — last, as docker writes it, unless
     * {@code manifestFirst}.
     */
    public void writeDockerLegacy(Path out, boolean manifestFirst) {
        List<Entry> entries = new ArrayList<>();
        ArrayNode layerPaths = JSON.createArrayNode();
        String parent = "";
        for (byte[] l : layers) {
            String id = sha256((parent + sha256(l)).getBytes(StandardCharsets.UTF_8)); // chain id, as docker makes it
            entries.add(Entry.file(id + "/VERSION", "1.0"));
            entries.add(Entry.file(id + "/json", "{\"id\":\"" + id + "\"" + (parent.isEmpty() ? "" : ",\"parent\":\""
                    + parent + "\"") + "}"));
            entries.add(Entry.file(id + "/layer.tar", l));
            layerPaths.add(id + "/layer.tar");
            parent = id;
        }
        String configName = sha256(config) + ".json";
        entries.add(Entry.file(configName, config));
        Entry manifest = Entry.file("manifest.json", bytes(JSON.createArrayNode().add(JSON.createObjectNode()
                .put("Config", configName).<ObjectNode>set("RepoTags", array(tags)).set("Layers", layerPaths))));
        if (manifestFirst) {
            entries.add(0, manifest);
        } else {
            entries.add(manifest);
        }
        if (!tags.isEmpty() && !parent.isEmpty()) {
            ObjectNode repos = JSON.createObjectNode();
            for (String t : tags) {
                int colon = t.lastIndexOf(':');
                String repo = t.substring(0, colon);
                if (!repos.has(repo)) {
                    repos.putObject(repo);
                }
                ((ObjectNode) repos.get(repo)).put(t.substring(colon + 1), parent);
            }
            entries.add(Entry.file("repositories", bytes(repos)));
        }
        writeTar(out, entries);
    }

    /**
     * {@code docker save} of Docker 25+: an OCI layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/})
     * with uncompressed layers, plus {@code manifest.json} naming the blobs, in the order docker writes them.
     */
    public void writeDocker25(Path out) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode manifestDescriptor = ociBlobs(Compression.NONE, blobs);
        List<Entry> entries = new ArrayList<>();
        blobs.forEach((digest, b) -> entries.add(Entry.file("blobs/sha256/" + digest.substring(7), b)));
        if (!tags.isEmpty()) {
            manifestDescriptor.putObject("annotations").put("io.containerd.image.name", "docker.io/" + tags.get(0))
                    .put("org.opencontainers.image.ref.name", tags.get(0).substring(tags.get(0).lastIndexOf(':') + 1));
        }
        entries.add(Entry.file("index.json", bytes(index(List.of(manifestDescriptor)))));
        ArrayNode layerPaths = JSON.createArrayNode();
        diffIds().forEach(d -> layerPaths.add("blobs/sha256/" + d.substring(7)));
        entries.add(Entry.file("manifest.json", bytes(JSON.createArrayNode().add(JSON.createObjectNode()
                .put("Config", "blobs/sha256/" + configDigest().substring(7)).<ObjectNode>set("RepoTags", array(tags))
                .set("Layers", layerPaths)))));
        entries.add(Entry.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"));
        writeTar(out, entries);
    }

    /** Writes the layers, config and manifest as blobs into {@code blobs}; returns the manifest's descriptor. */
    public ObjectNode ociBlobs(Compression c, Map<String, byte[]> blobs) {
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest()).put("size", config.length);
        ArrayNode ls = manifest.putArray("layers");
        for (byte[] l : layers) {
            byte[] stored = compress(l, c);
            String d = "sha256:" + sha256(stored);
            blobs.put(d, stored);
            ls.addObject().put("mediaType", c.mediaType).put("digest", d).put("size", stored.length);
        }
        blobs.put(configDigest(), config);
        byte[] m = bytes(manifest);
        blobs.put("sha256:" + sha256(m), m);
        ObjectNode descriptor = JSON.createObjectNode().put("mediaType", OCI_MANIFEST)
                .put("digest", "sha256:" + sha256(m)).put("size", m.length);
        descriptor.putObject("platform").put("architecture", architecture).put("os", os);
        return descriptor;
    }

    /** An OCI image layout directory holding this image, tagged {@code refName} (null: no tag). */
    public void writeOciLayout(Path dir, Compression c, String refName) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode d = ociBlobs(c, blobs);
        if (refName != null) {
            d.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
        }
        writeOciLayout(dir, blobs, List.of(d));
    }

    /** An OCI layout of the blobs with an index.json listing the descriptors. */
    public static void writeOciLayout(Path dir, Map<String, byte[]> blobs, List<ObjectNode> descriptors) {
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                Files.write(dir.resolve("blobs/sha256").resolve(b.getKey().substring(7)), b.getValue());
            }
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.write(dir.resolve("index.json"), bytes(index(descriptors)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode index(List<ObjectNode> descriptors) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
        index.putArray("manifests").addAll(descriptors);
        return index;
    }

    /** A tar of a directory's files (sorted, relative names): an OCI layout as {@code oci-archive:} stores it. */
    public static void tarDirectory(Path dir, Path out) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Entry> entries = new ArrayList<>();
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                entries.add(Entry.file(dir.relativize(p).toString(), Files.readAllBytes(p)));
            }
            writeTar(out, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] tar(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTar(out, entries);
        return out.toByteArray();
    }

    public static void writeTar(Path file, List<Entry> entries) {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeTar(out, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTar(OutputStream out, List<Entry> entries) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry te;
                if (e.linkTarget() != null) {
                    te = new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK);
                    te.setLinkName(e.linkTarget());
                } else {
                    te = new TarArchiveEntry(e.name());
                    te.setSize(e.content().length);
                }
                te.setModTime(0);
                te.setMode(e.linkTarget() != null ? 0777 : 0644);
                tar.putArchiveEntry(te);
                if (e.linkTarget() == null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static byte[] compress(byte[] b, Compression c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (c) {
                case NONE -> out.write(b);
                case GZIP -> {
                    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                        z.write(b);
                    }
                }
                case ZSTD -> {
                    try (ZstdOutputStream z = new ZstdOutputStream(out)) {
                        z.write(b);
                    }
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] b) {
        return compress(b, Compression.GZIP);
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    public static byte[] bytes(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
