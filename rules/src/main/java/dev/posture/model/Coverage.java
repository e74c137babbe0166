package dev.posture.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One (surface, theme) pair that a scan actually checked: some analyzer whose rules cover that theme
 * scanned at least one target of that surface. The posture summary calls a theme "not scanned" for a
 * surface unless it was covered, never "clean".
 */
public record Coverage(Surface surface, Theme theme) implements Comparable<Coverage> {
    private static final Comparator<Coverage> ORDER =
            Comparator.comparing(Coverage::surface).thenComparing(Coverage::theme);

    public Coverage {
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(theme, "theme");
    }

    /** The coverage of a rule: its surface and theme. */
    public static Coverage of(Rule rule) {
        return new Coverage(rule.surface(), rule.theme());
    }

    @Override
    public int compareTo(Coverage o) {
        return ORDER.compare(this, o);
    }
}
