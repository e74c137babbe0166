package dev.posture.triage;

import dev.posture.model.BaselineState;
import dev.posture.model.Finding;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregation step between analyzers and writers: removes duplicates (same fingerprint),
 * applies ignore entries (expired ones are skipped and warned about), and marks baseline state.
 * Suppressed findings are kept, marked, and never count for the gate.
 */
public final class Triage {
    private final List<IgnoreEntry> ignores;
    private final Baseline baseline;
    private final LocalDate today;

    private final boolean inline;

    public Triage(List<IgnoreEntry> ignores, Baseline baseline, LocalDate today) {
        this(ignores, baseline, today, true);
    }

    /**
     * @param inline whether suppressions written in the scanned inputs themselves (Kubernetes
     *               {@code posture.dev/ignore} annotations) apply; false for audits ({@code --no-ignore-file})
     */
    public Triage(List<IgnoreEntry> ignores, Baseline baseline, LocalDate today, boolean inline) {
        this.ignores = List.copyOf(ignores);
        this.baseline = baseline;
        this.today = today;
        this.inline = inline;
    }

    /** Warnings about the ignore file itself (expired entries). */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        for (IgnoreEntry e : ignores) {
            if (e.expiredOn(today)) {
                w.add("ignore entry at " + e.source() + " (" + e.describe() + ") expired on " + e.expires()
                        + " and no longer applies");
            }
        }
        return w;
    }

    public List<Finding> apply(List<Finding> findings) {
        Map<String, Finding> unique = new LinkedHashMap<>();
        for (Finding f : findings) {
            unique.putIfAbsent(f.fingerprint(), f);
        }
        List<Finding> out = new ArrayList<>(unique.size());
        for (Finding f : unique.values()) {
            if (f.suppressed() && !inline) {
                f = f.withSuppression(null);
            }
            // a suppression the input itself carries (an annotation on the resource) is the nearer one: it stays
            for (IgnoreEntry e : f.suppressed() ? List.<IgnoreEntry>of() : ignores) {
                if (!e.expiredOn(today) && e.matches(f)) {
                    f = f.withSuppression(e.suppression());
                    break;
                }
            }
            if (baseline != null) {
                f = f.withBaselineState(baseline.contains(f.fingerprint())
                        ? BaselineState.UNCHANGED : BaselineState.NEW);
            }
            out.add(f);
        }
        return out;
    }
}
