package dev.posture.image.layer;

/** The kind of a tar entry, as the facts name it. */
public enum EntryType {
    FILE("file"), DIR("dir"), SYMLINK("symlink"), HARDLINK("hardlink"), OTHER("other");

    private final String label;

    EntryType(String label) {
        this.label = label;
    }

    /** "file", "dir", "symlink", "hardlink" or "other". */
    public String label() {
        return label;
    }
}
