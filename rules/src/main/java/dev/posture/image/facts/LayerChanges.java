package dev.posture.image.facts;

import dev.posture.image.layer.EntryType;
import dev.posture.image.layer.LayerEntry;
import dev.posture.image.layer.LayerIndex;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What one layer does to the paths of the layers below it; built only when a deleted secret needs it. */
final class LayerChanges {
    private final Set<String> whiteouts;
    private final Set<String> opaqueDirs;
    private final Map<String, EntryType> entries = new HashMap<>();

    private LayerChanges(LayerIndex index) {
        whiteouts = new HashSet<>(index.whiteouts());
        opaqueDirs = new HashSet<>(index.opaqueDirs());
        for (LayerEntry e : index.entries()) {
            entries.put(e.path(), e.type());
        }
    }

    static LayerChanges of(LayerIndex index) {
        return new LayerChanges(index);
    }

    /**
     * True when a lower layer's {@code path} is gone or replaced after this layer: a whiteout of it or of a
     * directory above it, an opaque directory above it, an entry at its path, or a non-directory entry above it.
     */
    boolean removes(String path) {
        if (whiteouts.contains(path) || entries.containsKey(path) || opaqueDirs.contains("")) {
            return true;
        }
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            String dir = path.substring(0, slash);
            EntryType type = entries.get(dir);
            if (whiteouts.contains(dir) || opaqueDirs.contains(dir) || (type != null && type != EntryType.DIR)) {
                return true;
            }
        }
        return false;
    }
}
