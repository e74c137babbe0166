package dev.posture.model;

/**
 * A place in a file. {@code line} and {@code column} are 1-based; 0 means unknown.
 * {@code file} is the path as the user gave it (relative when they gave a relative path).
 */
public record Location(String file, int line, int column) {

    public static Location of(String file, int line, int column) {
        return new Location(file, Math.max(0, line), Math.max(0, column));
    }

    public static Location ofFile(String file) {
        return new Location(file, 0, 0);
    }

    public boolean hasLine() {
        return line > 0;
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + (column > 0 ? ":" + column : "") : file;
    }
}
