package dev.posture.rego.conformance;

import java.util.List;

/** Outcome of a conformance run: counts and failures (file, note, reason); skipped cases carry {@code skip: true}. */
public record ConformanceReport(int passed, int failed, int skipped, List<Failure> failures) {

    public ConformanceReport(int passed, int failed, List<Failure> failures) {
        this(passed, failed, 0, failures);
    }

    /** A failed case. */
    public record Failure(String file, String note, String reason) {
    }

    /** {@code N passed, N failed} (and {@code , N skipped} when some were). */
    public String summaryLine() {
        return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }

    /** Summary, preceded (when verbose) by one line per failure with note and reason. */
    public String format(boolean verbose) {
        StringBuilder sb = new StringBuilder();
        if (verbose) {
            for (Failure f : failures) {
                sb.append("FAIL ").append(f.note()).append(" (").append(f.file()).append("): ").append(f.reason()).append('\n');
            }
        }
        return sb.append(summaryLine()).append('\n').toString();
    }
}
