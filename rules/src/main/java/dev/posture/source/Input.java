package dev.posture.source;

import dev.posture.document.ParsedDocument;

import java.nio.file.Path;
import java.util.List;

/**
 * One recognised input of a scan.
 *
 * @param name      how the user refers to it: the path as given (relative stays relative), "-" for stdin
 * @param path      the file, or null for stdin
 * @param documents parsed documents for structured text inputs; empty for binary inputs
 */
public record Input(String name, Path path, InputKind kind, List<ParsedDocument> documents) {
    public Input {
        documents = List.copyOf(documents);
    }
}
