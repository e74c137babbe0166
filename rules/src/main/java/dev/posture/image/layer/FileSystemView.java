package dev.posture.image.layer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The image's final filesystem: layer indexes merged bottom-up with whiteouts applied. A sorted map, so a
 * directory's descendants are one sub-range ({@code "a/b/"} up to {@code "a/b0"}, '0' following '/').
 * Not thread-safe; merging is sequential and cheap (metadata only).
 */
public final class FileSystemView {
    /** Symbolic links followed while resolving one path, as Linux's MAXSYMLINKS. */
    public static final int MAX_HOPS = 40;

    private final NavigableMap<String, Node> nodes = new TreeMap<>();

    /** An entry of the view and the layer it comes from. */
    public record Node(LayerEntry entry, int layer) {
        public String path() {
            return entry.path();
        }

        public EntryType type() {
            return entry.type();
        }
    }

    /** A chain of symbolic links longer than {@link #MAX_HOPS} (a loop). */
    public static final class LinkLoopException extends Exception {
        public LinkLoopException(String path) {
            super("/" + path + ": more than " + MAX_HOPS + " symbolic links (a loop?)");
        }
    }

    /**
     * Puts layer {@code layer} on top: first its opaque directories (lower content hidden), then its whiteouts,
     * then its entries (a non-directory replacing a directory hides what lower layers had below it; a hard link
     * takes its target's owner and mode). Notes go to {@code notes}.
     */
    public void apply(int layer, LayerIndex index, List<String> notes) {
        for (String dir : index.opaqueDirs()) {
            removeBelow(dir, layer);
        }
        for (String path : index.whiteouts()) {
            Node gone = nodes.get(path);
            if (gone != null && gone.layer < layer) {
                nodes.remove(path);
            }
            removeBelow(path, layer);
        }
        for (LayerEntry e : index.entries()) {
            if (e.type() == EntryType.HARDLINK) {
                Node target = nodes.get(e.linkTarget());
                if (target == null) {
                    notes.add("layer " + layer + ": hard link /" + TarPaths.quoted(e.path()) + " to /"
                            + TarPaths.quoted(e.linkTarget()) + ", which does not exist");
                } else {
                    e = e.withMetadataOf(target.entry);
                }
            }
            Node previous = nodes.put(e.path(), new Node(e, layer));
            if (previous != null && previous.entry.isDir() && !e.isDir()) {
                removeBelow(e.path(), layer);
            }
        }
    }

    /** Removes what layers under {@code layer} have below directory {@code dir} ("" is the root). */
    private void removeBelow(String dir, int layer) {
        Collection<Node> below = dir.isEmpty() ? nodes.values() : nodes.subMap(dir + "/", dir + "0").values();
        for (Iterator<Node> it = below.iterator(); it.hasNext(); ) {
            if (it.next().layer < layer) {
                it.remove();
            }
        }
    }

    public Node get(String path) {
        return nodes.get(path);
    }

    /** Every node, sorted by path. */
    public Collection<Node> nodes() {
        return nodes.values();
    }

    /** The nodes below directory {@code dir} (not {@code dir} itself), sorted by path. */
    public SortedMap<String, Node> below(String dir) {
        return nodes.subMap(dir + "/", dir + "0");
    }

    public int size() {
        return nodes.size();
    }

    /**
     * {@code path} with every symbolic link along it followed, inside the image root ({@code ..} at the root stays
     * there, absolute targets start from the image root). The result need not exist.
     */
    public String resolve(String path) throws LinkLoopException {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            String candidate = done.isEmpty() ? part : String.join("/", done) + "/" + part;
            Node node = nodes.get(candidate);
            if (node != null && node.type() == EntryType.SYMLINK) {
                if (++hops > MAX_HOPS) {
                    throw new LinkLoopException(path);
                }
                String target = node.entry().linkTarget();
                if (target.startsWith("/")) {
                    done.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.push(parts[i]);
                }
            } else {
                done.add(part);
            }
        }
        return String.join("/", done);
    }
}
