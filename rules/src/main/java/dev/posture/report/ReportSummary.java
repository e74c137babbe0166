package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ScanResult;

/**
 * Counts for the summary of the JSON and table reports: unsuppressed findings per surface ×
 * severity, suppressed findings apart, and targets per status.
 */
public final class ReportSummary {
    private final int[][] counts = new int[Surface.values().length][Severity.values().length];
    private int suppressed;
    private final int[] targets = new int[TargetStatus.values().length];

    private ReportSummary() {
    }

    public static ReportSummary of(ScanResult result) {
        ReportSummary s = new ReportSummary();
        for (Finding f : result.findings()) {
            if (f.suppressed()) {
                s.suppressed++;
            } else {
                s.counts[f.rule().surface().ordinal()][f.rule().severity().ordinal()]++;
            }
        }
        for (Target t : result.targets()) {
            s.targets[t.status().ordinal()]++;
        }
        return s;
    }

    /** Unsuppressed findings of {@code surface} at exactly {@code severity}. */
    public int count(Surface surface, Severity severity) {
        return counts[surface.ordinal()][severity.ordinal()];
    }

    /** Unsuppressed findings of {@code surface}. */
    public int total(Surface surface) {
        int n = 0;
        for (Severity sev : Severity.values()) {
            n += count(surface, sev);
        }
        return n;
    }

    /** Unsuppressed findings at exactly {@code severity}, all surfaces. */
    public int total(Severity severity) {
        int n = 0;
        for (Surface sur : Surface.values()) {
            n += count(sur, severity);
        }
        return n;
    }

    /** All unsuppressed findings. */
    public int total() {
        int n = 0;
        for (Surface sur : Surface.values()) {
            n += total(sur);
        }
        return n;
    }

    public int suppressed() {
        return suppressed;
    }

    public int targets(TargetStatus status) {
        return targets[status.ordinal()];
    }

    public int targets() {
        int n = 0;
        for (int t : targets) {
            n += t;
        }
        return n;
    }
}
