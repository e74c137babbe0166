package dev.posture.document;

import dev.posture.model.Location;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps JSON pointers ("/Resources/Fn/Properties/Policies/0") of a parsed document to the place in
 * the file where that value starts, so findings can point at exact lines.
 *
 * <p>Positions are stored as a tree of path segments (parent node + key), never as one pointer
 * string per value: a document with long keys nested deep would otherwise cost the square of its
 * size (a 1 MB file with one 1,000,000-character key over 20,000 values needed gigabytes). Key
 * strings are the parser's own, so a value costs a map entry and two ints.
 */
public final class SourceMap {
    /** The node of the root pointer "". */
    public static final int ROOT = 0;

    private final String file;
    /**
     * (parent node, segment) → node, as an open-addressing table of node ids (0 = empty: the root is nobody's
     * child), compared through {@link #parents} and {@link #segments}; a segment is a String key or an Integer
     * array index. No object per edge: a document of 50,000 Kubernetes objects has millions of values.
     */
    private int[] table = new int[32];
    private int entries;
    private int[] lines = new int[16];
    private int[] columns = new int[16];
    private int[] parents = new int[16];
    private Object[] segments = new Object[16];
    private int size = 1;
    private final List<DuplicateKey> duplicates = new ArrayList<>();
    /** Created on the first claim: most documents have no duplicate keys. */
    private volatile java.util.Set<DuplicateKey> claimed;


    public SourceMap(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    /** The node of {@code key} below {@code parent}, created when new. */
    int child(int parent, String key) {
        return childOf(parent, key);
    }

    /** The node of array index {@code index} below {@code parent}, created when new. */
    int child(int parent, int index) {
        return childOf(parent, index);
    }

    private int childOf(int parent, Object segment) {
        int slot = slot(parent, segment);
        if (table[slot] != 0) {
            return table[slot];
        }
        int id = newNode(parent, segment);
        table[slot] = id;
        if (++entries * 2 > table.length) {
            rehash();
        }
        return id;
    }

    private int newNode(int parent, Object segment) {
        if (size == lines.length) {
            lines = Arrays.copyOf(lines, size * 2);
            columns = Arrays.copyOf(columns, size * 2);
            parents = Arrays.copyOf(parents, size * 2);
            segments = Arrays.copyOf(segments, size * 2);
        }
        int id = size++;
        parents[id] = parent;
        segments[id] = segment;
        return id;
    }

    /** The table slot holding (parent, segment), or the empty slot where it would go. */
    private int slot(int parent, Object segment) {
        int mask = table.length - 1;
        int h = parent * 0x9E3779B1 + segment.hashCode();
        for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
            int id = table[i];
            if (id == 0 || parents[id] == parent && segments[id].equals(segment)) {
                return i;
            }
        }
    }

    private void rehash() {
        int[] old = table;
        table = new int[old.length * 2];
        for (int id : old) {
            if (id != 0) {
                table[slot(parents[id], segments[id])] = id;
            }
        }
    }

    /** The node of (parent, segment), or -1. */
    private int edge(int parent, Object segment) {
        int id = table[slot(parent, segment)];
        return id == 0 ? -1 : id;
    }

    /**
     * A fresh node for {@code key} below {@code parent}, replacing the one it had: for a key written
     * again, whose last value is the one the document keeps.
     */
    int rebind(int parent, String key) {
        int slot = slot(parent, key);
        if (table[slot] == 0) {
            return childOf(parent, key);
        }
        int id = newNode(parent, key);
        table[slot] = id;
        return id;
    }

    /** The line recorded for a node, 0 when none. */
    int line(int node) {
        return node < 0 ? 0 : lines[node];
    }

    /** Records where the value of {@code node} starts (the first position recorded wins). */
    void put(int node, int line, int column) {
        if (lines[node] == 0) {
            lines[node] = line;
            columns[node] = column;
        }
    }

    void duplicate(DuplicateKey d) {
        if (duplicates.size() >= DocumentParser.MAX_DUPLICATE_KEYS) {
            throw new TooManyDuplicates();
        }
        duplicates.add(d);
    }

    /** Thrown by {@link #duplicate} past {@link DocumentParser#MAX_DUPLICATE_KEYS}; the parser reports it. */
    static final class TooManyDuplicates extends RuntimeException {
        TooManyDuplicates() {
            super("more than " + DocumentParser.MAX_DUPLICATE_KEYS + " duplicate keys", null, false, false);
        }
    }

    /** Keys written twice in one mapping, in the order met; the document tree holds the last value of each. */
    public List<DuplicateKey> duplicates() {
        return List.copyOf(duplicates);
    }

    /** Marks a duplicate as reported by a reader that understood it (a policy parser). */
    public void claim(DuplicateKey d) {
        if (claimed == null) {
            synchronized (this) {
                if (claimed == null) {
                    claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
                }
            }
        }
        claimed.add(d);
    }

    /** Duplicates no reader has claimed: the generic "last value is used" warning is theirs. */
    public List<DuplicateKey> unclaimed() {
        java.util.Set<DuplicateKey> c = claimed;
        return c == null ? List.copyOf(duplicates) : duplicates.stream().filter(d -> !c.contains(d)).toList();
    }

    /** The duplicate keys of the mapping at {@code pointer} (not of its descendants). */
    public List<DuplicateKey> duplicatesAt(String pointer) {
        if (duplicates.isEmpty()) {
            return List.of();
        }
        int node = find(pointer == null ? "" : pointer);
        return node < 0 ? List.of() : duplicates.stream().filter(d -> d.mappingNode() == node).toList();
    }

    /** The JSON pointer of a node (built on demand: only warnings need it). */
    String pointerOf(int node) {
        StringBuilder sb = new StringBuilder();
        List<Object> path = new ArrayList<>();
        for (int n = node; n != ROOT; n = parents[n]) {
            path.add(segments[n]);
        }
        for (int i = path.size() - 1; i >= 0; i--) {
            Object seg = path.get(i);
            sb.append('/').append(seg instanceof String k ? segment(k) : seg);
        }
        return sb.toString();
    }

    /** The node of exactly {@code pointer}, or -1. */
    private int find(String p) {
        int node = ROOT;
        int i = 0;
        while (i < p.length()) {
            if (p.charAt(i) != '/') {
                return -1;
            }
            int next = p.indexOf('/', i + 1);
            String key = unescape(p.substring(i + 1, next < 0 ? p.length() : next));
            i = next < 0 ? p.length() : next;
            int n = edge(node, key);
            if (n < 0 && isIndex(key)) {
                n = edge(node, Integer.parseInt(key));
            }
            if (n < 0) {
                return -1;
            }
            node = n;
        }
        return node;
    }

    /** The location of the value at {@code pointer}, or of its nearest ancestor that has one. */
    public Location at(String pointer) {
        String p = pointer == null ? "" : pointer;
        int node = ROOT;
        Location best = lines[ROOT] > 0 ? Location.of(file, lines[ROOT], columns[ROOT]) : Location.ofFile(file);
        int i = 0;
        while (i < p.length()) {
            if (p.charAt(i) != '/') {
                break; // not a pointer: the file
            }
            int next = p.indexOf('/', i + 1);
            String raw = p.substring(i + 1, next < 0 ? p.length() : next);
            i = next < 0 ? p.length() : next;
            String key = unescape(raw);
            int n = edge(node, key);
            if (n < 0 && isIndex(key)) {
                n = edge(node, Integer.parseInt(key));
            }
            if (n < 0) {
                break;
            }
            node = n;
            if (lines[node] > 0) {
                best = Location.of(file, lines[node], columns[node]);
            }
        }
        return best;
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return s.length() == 1 || s.charAt(0) != '0';
    }

    private static String unescape(String seg) {
        return seg.indexOf('~') < 0 ? seg : seg.replace("~1", "/").replace("~0", "~");
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
