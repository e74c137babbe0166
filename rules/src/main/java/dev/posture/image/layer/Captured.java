package dev.posture.image.layer;

import java.nio.charset.StandardCharsets;

/**
 * A file read in full (up to the capture limit) because facts are parsed from it.
 *
 * @param size      the file's size in the tar header
 * @param truncated true when only the first {@code content.length} bytes were kept
 */
public record Captured(byte[] content, long size, boolean truncated) {

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }
}
