package dev.posture.source;

import dev.posture.document.ParsedDocument;

import java.nio.file.Path;
import java.util.List;

/**
 * One input of a scan: recognised, or {@link InputKind#UNKNOWN} with the reason it is not one.
 *
 * @param name               how the user refers to it: the path as given (relative stays relative), "-" for stdin
 * @param path               the file, or null for stdin
 * @param documents          parsed documents for structured text inputs; empty for binary inputs
 * @param unrecognisedReason why a file is no input we read (kind UNKNOWN), else null
 * @param documentErrors     documents of a file read document by document that could not be read (each names
 *                           file and line); the analyzer fails the target with them and still reads the rest.
 *                           Only Kubernetes inputs are read that way; empty for everything else
 */
public record Input(String name, Path path, InputKind kind, List<ParsedDocument> documents, String unrecognisedReason,
                    List<String> documentErrors) {
    public Input {
        documents = List.copyOf(documents);
        documentErrors = documentErrors == null ? List.of() : List.copyOf(documentErrors);
    }

    public Input(String name, Path path, InputKind kind, List<ParsedDocument> documents, String unrecognisedReason) {
        this(name, path, kind, documents, unrecognisedReason, List.of());
    }

    public Input(String name, Path path, InputKind kind, List<ParsedDocument> documents) {
        this(name, path, kind, documents, null, List.of());
    }

    /** A file that is no input of any format posture reads. */
    public static Input unrecognised(String name, Path path, String reason) {
        return new Input(name, path, InputKind.UNKNOWN, List.of(), reason);
    }
}
