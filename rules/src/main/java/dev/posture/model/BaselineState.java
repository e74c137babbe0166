package dev.posture.model;

import java.util.Locale;

/** A finding's state against a baseline report (SARIF {@code baselineState}). */
public enum BaselineState {
    NEW, UNCHANGED, ABSENT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
