package dev.posture.model;

import java.util.Locale;

/** Finding severity, most severe first; the ordinal order is the ranking. */
public enum Severity {
    CRITICAL("9.5"), HIGH("8.0"), MEDIUM("5.5"), LOW("2.0"), INFO("0.0");

    private final String securitySeverity;

    Severity(String securitySeverity) {
        this.securitySeverity = securitySeverity;
    }

    /** The SARIF {@code properties["security-severity"]} score GitHub code scanning reads. */
    public String securitySeverity() {
        return securitySeverity;
    }

    /** True when this severity is at or above {@code threshold}. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity '" + s + "' (expected critical, high, medium, low or info)");
        }
    }
}
