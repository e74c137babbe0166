package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the image out of an archive's JSON entries, whatever wrote it: {@code docker save} with
 * {@code manifest.json} (legacy {@code <id>/layer.tar} entries, podman's {@code <diff_id>.tar} with links, or
 * Docker 25+'s {@code blobs/sha256/<hex>}), else an OCI image layout archive ({@code index.json} → manifest →
 * config → layers). {@code manifest.json} wins when both are there: it is what {@code docker load} reads.
 */
final class ArchiveLayout {

    /**
     * @param manifest the image
     * @param entries  the archive entries holding its layers, each once, bottom first
     */
    record Plan(ImageManifest manifest, List<String> entries) {
    }

    private ArchiveLayout() {
    }

    /** The key a layer entry is delivered under: the digest its blob path promises, else its path. */
    static String key(String path) {
        String d = Blobs.promisedDigest(path);
        return d != null ? d : path;
    }

    static Plan plan(ArchiveContents c, Platform platform) throws ImageException, IOException {
        if (c.hasJson("manifest.json")) {
            return docker(c, platform);
        }
        if (c.hasJson("index.json")) {
            return oci(c, platform);
        }
        throw new ImageException(c.describe + ": neither manifest.json nor index.json in it: not a docker save or"
                + " OCI image archive");
    }

    private record Entry(String config, List<String> layers, List<String> tags) {
    }

    private static Plan docker(ArchiveContents c, Platform platform) throws ImageException, IOException {
        JsonNode root = Blobs.json(c.describe, "manifest.json", c.json("manifest.json"));
        if (!root.isArray()) {
            throw new ImageException(c.describe + ": manifest.json is not a list of images");
        }
        // one image saved under several names may be listed once per name
        Map<List<Object>, Entry> images = new LinkedHashMap<>();
        for (JsonNode n : root) {
            String config = Blobs.text(n, "Config");
            JsonNode ls = n.get("Layers");
            if (config == null || ls == null || !ls.isArray()) {
                throw new ImageException(c.describe + ": manifest.json has an image without Config or Layers");
            }
            List<String> layers = new ArrayList<>();
            for (JsonNode l : ls) {
                if (!l.isTextual()) {
                    throw new ImageException(c.describe + ": manifest.json has a layer that is not a path");
                }
                layers.add(ArchivePaths.normalise(c.describe, l.asText()));
            }
            List<String> tags = new ArrayList<>();
            JsonNode rt = n.get("RepoTags");
            if (rt != null && rt.isArray()) {
                rt.forEach(t -> {
                    if (t.isTextual()) {
                        tags.add(t.asText());
                    }
                });
            }
            String cfg = ArchivePaths.normalise(c.describe, config);
            Entry e = images.computeIfAbsent(List.of(cfg, layers), k -> new Entry(cfg, layers, new ArrayList<>()));
            e.tags.addAll(tags);
        }
        if (images.isEmpty()) {
            throw new ImageException(c.describe + ": manifest.json lists no image");
        }
        if (images.size() > 1) {
            List<String> names = images.values().stream()
                    .map(e -> e.tags.isEmpty() ? e.config : e.tags.get(0)).toList();
            throw new ImageException(c.describe + ": holds " + images.size() + " images (" + String.join(", ", names)
                    + "); posture reads one image per archive: save them separately");
        }
        Entry image = images.values().iterator().next();
        String configPath = c.resolve(image.config);
        byte[] config = c.json(configPath);
        if (config == null) {
            throw new ImageException(c.describe + ": manifest.json names config " + Blobs.shorten(image.config) + ", "
                    + c.whatIs(configPath));
        }
        List<LayerDescriptor> layers = new ArrayList<>();
        Set<String> entries = new LinkedHashSet<>();
        for (String l : image.layers) {
            String path = c.resolve(l);
            if (!c.isLayer(path)) {
                throw new ImageException(c.describe + ": manifest.json lists " + Blobs.shorten(l) + ", "
                        + c.whatIs(path));
            }
            entries.add(path);
            String promised = Blobs.promisedDigest(l);
            layers.add(new LayerDescriptor(key(path), promised != null ? promised : Blobs.promisedDigest(path), -1,
                    null));
        }
        ImageManifest m = new ImageManifest(null, null, config, Blobs.configDigest(configPath), layers,
                new ArrayList<>(new LinkedHashSet<>(image.tags)));
        return new Plan(withIndex(c, platform, m), List.copyOf(entries));
    }

    /**
     * Docker 25+ archives also carry the OCI index of the same image: its manifest's digest, media types and sizes
     * are added when it describes the very config and layers manifest.json lists. Anything odd about it is ignored:
     * manifest.json is what was read.
     */
    private static ImageManifest withIndex(ArchiveContents c, Platform platform, ImageManifest m) {
        if (m.configDigest() == null) {
            return m;
        }
        try {
            if (!c.hasJson("index.json")) {
                return m;
            }
            OciIndex.Selected sel = OciIndex.select(c.describe, Blobs.json(c.describe, "index.json",
                    c.json("index.json")), blobs(c), platform);
            ImageManifest oci = OciManifests.manifest(c.describe, sel, blobs(c), d -> { });
            List<String> digests = m.layers().stream().map(LayerDescriptor::digest).toList();
            if (!m.configDigest().equals(oci.configDigest())
                    || !digests.equals(oci.layers().stream().map(LayerDescriptor::digest).toList())) {
                return m;
            }
            List<LayerDescriptor> layers = new ArrayList<>();
            for (int i = 0; i < m.layers().size(); i++) {
                LayerDescriptor o = oci.layers().get(i);
                layers.add(new LayerDescriptor(m.layers().get(i).key(), o.digest(), o.size(), o.mediaType()));
            }
            return new ImageManifest(oci.manifestDigest(), oci.mediaType(), m.config(), m.configDigest(), layers,
                    m.repoTags());
        } catch (ImageException | IOException | RuntimeException e) {
            return m;
        }
    }

    private static OciIndex.JsonBlobs blobs(ArchiveContents c) {
        return digest -> c.json(Blobs.blobPath(digest));
    }

    private static Plan oci(ArchiveContents c, Platform platform) throws ImageException, IOException {
        JsonNode index = Blobs.json(c.describe, "index.json", c.json("index.json"));
        OciIndex.Selected sel = OciIndex.select(c.describe, index, blobs(c), platform);
        Map<String, String> entryOf = new HashMap<>();
        ImageManifest m = OciManifests.manifest(c.describe, sel, blobs(c), digest -> {
            String path = c.resolve(Blobs.blobPath(digest));
            if (!c.isLayer(path)) {
                throw new ImageException(c.describe + ": manifest " + Blobs.shortDigest(sel.digest()) + " lists layer "
                        + Blobs.shortDigest(digest) + ", " + c.whatIs(path));
            }
            entryOf.put(digest, path);
        });
        // delivered under the entry's name: a link resolves to another blob's name
        List<LayerDescriptor> layers = new ArrayList<>();
        Set<String> entries = new LinkedHashSet<>();
        for (LayerDescriptor l : m.layers()) {
            String path = entryOf.get(l.digest());
            entries.add(path);
            layers.add(new LayerDescriptor(key(path), l.digest(), l.size(), l.mediaType()));
        }
        return new Plan(new ImageManifest(m.manifestDigest(), m.mediaType(), m.config(), m.configDigest(), layers,
                m.repoTags()), List.copyOf(entries));
    }
}
