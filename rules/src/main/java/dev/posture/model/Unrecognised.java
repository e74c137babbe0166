package dev.posture.model;

/**
 * A file that was looked at and is no input of any format posture reads (a {@code tsconfig.json},
 * an event sample, a binary). Not a target and never a failure, but listed so nothing is dropped silently.
 *
 * @param path   the file as the user refers to it
 * @param reason why it is not an input ("top-level keys compilerOptions match no supported input")
 */
public record Unrecognised(String path, String reason) {
    public Unrecognised {
        reason = Redaction.redact(reason);
    }
}
