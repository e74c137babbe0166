package dev.posture.iam.model;

import dev.posture.model.Location;

/**
 * Where a piece of the IAM model came from: a file location (file inputs) or an ARN (live
 * inputs), plus the JSON pointer inside the source document. {@code pointer} is part of finding
 * fingerprints, so it names a logical place, never a line.
 */
public record Origin(Location location, String arn, String pointer) {

    public static Origin file(Location location, String pointer) {
        return new Origin(location, null, pointer);
    }

    public static Origin live(String arn, String pointer) {
        return new Origin(null, arn, pointer);
    }

    public static final Origin UNKNOWN = new Origin(null, null, "");
}
