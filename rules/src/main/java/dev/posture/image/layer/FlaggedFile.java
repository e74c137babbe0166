package dev.posture.image.layer;

/** A regular file of a layer that the {@link ContentProbe} flagged (a credential file). */
public record FlaggedFile(String path, String kind, String evidence) {
}
