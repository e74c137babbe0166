package dev.posture.source;

import java.nio.file.Path;

/**
 * A file (or stdin) found for scanning, before it is recognised.
 *
 * @param name     the path as the user gave it (relative stays relative) or "-" for stdin
 * @param path     the real file, or null for stdin
 * @param explicit true when the user named it directly (then any extension is sniffed)
 */
public record SourceFile(String name, Path path, boolean explicit) {
}
