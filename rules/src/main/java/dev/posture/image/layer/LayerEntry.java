package dev.posture.image.layer;

/**
 * One tar entry of a layer, its path normalised (relative to the image root, no leading {@code ./} or {@code /},
 * no trailing slash).
 *
 * @param mode       permission bits, {@code & 07777}
 * @param linkTarget a symlink's target as written, a hardlink's normalised target path; null otherwise
 */
public record LayerEntry(String path, EntryType type, int mode, long uid, long gid, long size, String linkTarget) {

    public boolean isDir() {
        return type == EntryType.DIR;
    }

    /** The same entry with another owner and mode (a hardlink takes its target's). */
    LayerEntry withMetadataOf(LayerEntry target) {
        return new LayerEntry(path, type, target.mode, target.uid, target.gid, target.size, linkTarget);
    }
}
