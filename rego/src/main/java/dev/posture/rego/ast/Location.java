package dev.posture.rego.ast;

/** Source location of a node: file name, 1-based row and column. */
public record Location(String file, int row, int col) {
    @Override
    public String toString() {
        return file + ":" + row;
    }
}
