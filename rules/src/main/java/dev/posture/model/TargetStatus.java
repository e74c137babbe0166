package dev.posture.model;

import java.util.Locale;

/** Every target of a scan ends in one of these states; nothing is dropped silently. */
public enum TargetStatus {
    SCANNED, FAILED, SKIPPED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
