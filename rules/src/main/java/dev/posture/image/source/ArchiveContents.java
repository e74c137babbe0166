package dev.posture.image.source;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one pass over a {@code docker save} / OCI archive found: the small JSON entries (kept), the layer-looking
 * entries (delivered or deliverable, never kept), everything else (named in messages) and links between entries.
 * Paths are normalised archive paths ({@link ArchivePaths}).
 */
final class ArchiveContents {
    /** JSON kept over all entries: a hostile archive of many 8 MiB JSON files must not fill the heap. */
    static final long MAX_TOTAL_JSON_BYTES = 64L << 20;
    /** Image archives hold a few entries per layer; millions of tiny entries are an attack on the heap. */
    static final int MAX_ENTRIES = 100_000;
    private static final int MAX_LINK_HOPS = 16;

    final String describe;
    private final Map<String, byte[]> json = new HashMap<>();
    private final Set<String> layers = new HashSet<>();
    private final Map<String, String> others = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private long jsonBytes;
    private int entries;

    ArchiveContents(String describe) {
        this.describe = describe;
    }

    /** Throws when a path occurs twice: which of the two would the image mean? */
    private void fresh(String path) throws ImageException {
        if (++entries > MAX_ENTRIES) {
            throw new ImageException(describe + ": more than " + MAX_ENTRIES + " entries; not an image archive posture"
                    + " reads");
        }
        if (json.containsKey(path) || layers.contains(path) || others.containsKey(path) || links.containsKey(path)) {
            throw new ImageException(describe + ": entry " + Blobs.shorten(path) + " occurs twice in the archive");
        }
    }

    void addJson(String path, byte[] bytes) throws ImageException {
        fresh(path);
        jsonBytes += bytes.length;
        if (jsonBytes > MAX_TOTAL_JSON_BYTES) {
            throw new ImageException(describe + ": more than " + (MAX_TOTAL_JSON_BYTES >> 20)
                    + " MiB of JSON entries; not an image archive posture reads");
        }
        json.put(path, bytes);
    }

    void addLayer(String path) throws ImageException {
        fresh(path);
        layers.add(path);
    }

    void addOther(String path, String why) throws ImageException {
        fresh(path);
        others.put(path, why);
    }

    void addLink(String path, String target) throws ImageException {
        fresh(path);
        links.put(path, target);
    }

    /** The entry a path names once links are followed, or the path itself when nothing is there. */
    String resolve(String path) throws ImageException {
        String p = path;
        for (int i = 0; i < MAX_LINK_HOPS; i++) {
            String next = links.get(p);
            if (next == null) {
                return p;
            }
            p = next;
        }
        throw new ImageException(describe + ": entry " + Blobs.shorten(path) + " is a loop of links");
    }

    /** The JSON entry at a path (links followed), or null. */
    byte[] json(String path) throws ImageException {
        return json.get(resolve(path));
    }

    boolean hasJson(String path) throws ImageException {
        return json.containsKey(resolve(path));
    }

    /** True when the path (links followed) is a layer-looking entry. */
    boolean isLayer(String resolved) {
        return layers.contains(resolved);
    }

    /** Why the entry at a resolved path is not what was expected, for "lists X, which …" messages. */
    String whatIs(String resolved) {
        if (json.containsKey(resolved)) {
            return "which is JSON, not a layer";
        }
        String why = others.get(resolved);
        return why != null ? "which is " + why : "which the archive does not contain";
    }
}
