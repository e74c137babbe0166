package dev.posture.model;

import java.util.Objects;

/**
 * One thing that was scanned: a file, an image, a live function.
 *
 * @param name   identity of the target (repository-relative path, image ref, ARN)
 * @param source where it came from (file path, "stdin", "registry", "aws:eu-west-1")
 * @param error  why it failed or was skipped; null when scanned
 */
public record Target(TargetType type, String name, String source, TargetStatus status, String error) {

    public Target {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        source = source == null ? name : source;
    }

    public static Target scanned(TargetType type, String name, String source) {
        return new Target(type, name, source, TargetStatus.SCANNED, null);
    }

    public static Target failed(TargetType type, String name, String source, String error) {
        return new Target(type, name, source, TargetStatus.FAILED, error);
    }

    public Target withStatus(TargetStatus status, String error) {
        return new Target(type, name, source, status, error);
    }

    public TargetRef ref() {
        return new TargetRef(type, name);
    }
}
