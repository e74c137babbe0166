package dev.posture.scan;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Target;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What analyzers report into. Thread-safe: analyzers may work in parallel.
 *
 * @param clock       the scan's notion of "now" (end-of-support dates, expiry), fixed in tests
 * @param parallelism how many threads the scan may keep busy ({@code -j}): a cross-input analyzer, which gets all
 *                    its inputs in one call, spreads its own work over this many
 */
public record ScanContext(Consumer<Target> targets, Consumer<Finding> findings, Consumer<String> warnings,
                          Consumer<FunctionSummary> summaries, Clock clock, int parallelism) {

    public ScanContext {
        parallelism = Math.max(1, parallelism);
    }

    public ScanContext(Consumer<Target> targets, Consumer<Finding> findings, Consumer<String> warnings,
                       Consumer<FunctionSummary> summaries, Clock clock) {
        this(targets, findings, warnings, summaries, clock, 1);
    }

    public void target(Target t) {
        targets.accept(t);
    }

    public void finding(Finding f) {
        findings.accept(f);
    }

    public void summary(FunctionSummary s) {
        summaries.accept(s);
    }

    public void warn(String message) {
        warnings.accept(message);
    }
}
