package dev.posture.image.facts;

import dev.posture.image.layer.EntryType;
import dev.posture.image.layer.FileSystemView;
import dev.posture.image.layer.FileSystemView.Node;
import dev.posture.image.layer.FlaggedFile;
import dev.posture.image.layer.LayerEntry;
import dev.posture.image.layer.LayerIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** File-level facts of the final view, and the credential files lower layers still carry. */
public final class FileFactsCollector {
    private static final Set<String> UNNECESSARY = Set.of(".git", ".svn", ".hg", ".bzr", ".idea", ".vscode", ".aws",
            ".azure", ".terraform", ".DS_Store");
    private static final List<String> TOOL_DIRS = List.of("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin",
            "usr/local/sbin");
    private static final List<String> TOOLS = List.of("sudo", "su", "curl", "wget", "nc", "ncat", "netcat", "sshd",
            "telnet", "gcc");

    private final FileSystemView view;
    private final List<LayerIndex> layers;
    private final Map<Integer, LayerChanges> changes = new HashMap<>();

    /** {@code layers} in order, as merged into {@code view}. */
    public FileFactsCollector(FileSystemView view, List<LayerIndex> layers) {
        this.view = view;
        this.layers = layers;
    }

    public FileFacts collect() {
        long count = 0;
        long bytes = 0;
        long setuidCount = 0;
        long worldWritableCount = 0;
        List<FileFacts.FileEntry> setuid = new ArrayList<>();
        List<FileFacts.FileEntry> worldWritable = new ArrayList<>();
        Set<String> unnecessary = new TreeSet<>();
        for (Node node : view.nodes()) {
            LayerEntry e = node.entry();
            if (e.type() == EntryType.OTHER) {
                continue;
            }
            count++;
            if (e.type() == EntryType.FILE) {
                bytes += e.size();
            }
            if (isRegular(e) && (e.mode() & 06000) != 0 && setuidCount++ < FileFacts.LIMIT) {
                setuid.add(entry(node));
            }
            if (e.type() != EntryType.SYMLINK && (e.mode() & 0002) != 0 && worldWritableCount++ < FileFacts.LIMIT) {
                worldWritable.add(entry(node));
            }
            String path = e.path();
            if ((path.startsWith(".") || path.contains("/.")) && unnecessary.size() < FileFacts.LIMIT) {
                String found = unnecessaryPrefix(path);
                if (found != null) {
                    unnecessary.add("/" + found);
                }
            }
        }
        List<FileFacts.SecretFile> secrets = new ArrayList<>();
        List<FileFacts.SecretFile> deleted = new ArrayList<>();
        secrets(secrets, deleted);
        return new FileFacts(count, bytes, setuid, worldWritable, secrets, deleted, List.copyOf(unnecessary), tools(),
                PackageCaches.find(view), setuidCount, worldWritableCount);
    }

    /** A hard link is a regular file that shares its target's data (and, here, its mode). */
    private static boolean isRegular(LayerEntry e) {
        return e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK;
    }

    private static FileFacts.FileEntry entry(Node node) {
        LayerEntry e = node.entry();
        return new FileFacts.FileEntry("/" + e.path(), e.type().label(), e.mode(), e.uid(), e.gid(), e.size(),
                node.layer());
    }

    /** The path up to the first VCS/IDE/cloud-config component ({@code app/.git/config} → {@code app/.git}). */
    static String unnecessaryPrefix(String path) {
        int start = 0;
        while (start < path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            if (path.charAt(start) == '.') {
                String part = path.substring(start, end);
                if (UNNECESSARY.contains(part)) {
                    return path.substring(0, end);
                }
                if (part.equals(".config") && path.startsWith("gcloud", end + 1)
                        && (end + 7 == path.length() || path.charAt(end + 7) == '/')) {
                    return path.substring(0, end + 7);
                }
            }
            start = end + 1;
        }
        return null;
    }

    private List<String> tools() {
        List<String> out = new ArrayList<>();
        for (String dir : TOOL_DIRS) {
            for (String tool : TOOLS) {
                Node node = view.get(dir + "/" + tool);
                if (node != null && node.type() != EntryType.DIR) {
                    out.add("/" + node.path());
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Flagged files of every layer: in the final view when their layer's copy is what the view shows. */
    private void secrets(List<FileFacts.SecretFile> present, List<FileFacts.SecretFile> deleted) {
        for (int i = 0; i < layers.size(); i++) {
            for (FlaggedFile f : layers.get(i).flagged()) {
                Node node = view.get(f.path());
                if (node != null && node.layer() == i) {
                    if (present.size() < FileFacts.LIMIT) {
                        present.add(new FileFacts.SecretFile("/" + f.path(), f.kind(), i, null, f.evidence()));
                    }
                } else if (deleted.size() < FileFacts.LIMIT) {
                    deleted.add(new FileFacts.SecretFile("/" + f.path(), f.kind(), i, deletedIn(f.path(), i),
                            f.evidence()));
                }
            }
        }
    }

    /** The first layer above {@code layer} that deletes or replaces {@code path}. */
    private Integer deletedIn(String path, int layer) {
        for (int j = layer + 1; j < layers.size(); j++) {
            if (changes.computeIfAbsent(j, k -> LayerChanges.of(layers.get(k))).removes(path)) {
                return j;
            }
        }
        return null;
    }
}
