package dev.posture.document;

import dev.posture.model.Location;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps JSON pointers ("/Resources/Fn/Properties/Policies/0") of a parsed document to the place in
 * the file where that value starts, so findings can point at exact lines.
 */
public final class SourceMap {
    private final String file;
    private final Map<String, int[]> positions = new HashMap<>();

    public SourceMap(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    void put(String pointer, int line, int column) {
        positions.putIfAbsent(pointer, new int[] {line, column});
    }

    /** The location of the value at {@code pointer}, or of its nearest ancestor that has one. */
    public Location at(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (true) {
            int[] pos = positions.get(p);
            if (pos != null) {
                return Location.of(file, pos[0], pos[1]);
            }
            if (p.isEmpty()) {
                return Location.ofFile(file);
            }
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "" : p.substring(0, slash);
        }
    }

    /** Escapes one JSON-pointer segment (RFC 6901). */
    public static String segment(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String pointer, String key) {
        return pointer + "/" + segment(key);
    }

    public static String child(String pointer, int index) {
        return pointer + "/" + index;
    }
}
