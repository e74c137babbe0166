package dev.posture.image.layer;

import java.util.ArrayList;
import java.util.List;

/** The captured files of the final view, reached through symbolic links as a process in the image would. */
public final class CapturedFiles {
    private final FileSystemView view;
    private final List<LayerIndex> layers;
    private final List<String> notes;

    /** {@code layers} in order, as merged into {@code view}; what cannot be read is noted in {@code notes}. */
    public CapturedFiles(FileSystemView view, List<LayerIndex> layers, List<String> notes) {
        this.view = view;
        this.layers = layers;
        this.notes = notes;
    }

    /**
     * The content of {@code path} (relative, "etc/passwd") in the final view, symbolic links followed; null when
     * there is no such regular file.
     */
    public Captured get(String path) throws FileSystemView.LinkLoopException {
        String resolved = view.resolve(path);
        FileSystemView.Node node = view.get(resolved);
        if (node == null || node.type() == EntryType.DIR) {
            return null;
        }
        Captured captured = node.type() == EntryType.FILE ? layers.get(node.layer()).captures().get(resolved) : null;
        if (captured == null) {
            notes.add("/" + path + (resolved.equals(path) ? "" : " (/" + TarPaths.quoted(resolved) + ")")
                    + " is a " + node.type().label() + " whose content was not read");
        }
        return captured;
    }

    /** Paths of the captured regular files directly in directory {@code dir} of the final view, sorted. */
    public List<String> listCaptured(String dir) {
        List<String> out = new ArrayList<>();
        for (FileSystemView.Node node : view.below(dir).values()) {
            if (node.type() == EntryType.FILE && CapturedPaths.captured(node.path())
                    && node.path().indexOf('/', dir.length() + 1) < 0) {
                out.add(node.path());
            }
        }
        return out;
    }
}
