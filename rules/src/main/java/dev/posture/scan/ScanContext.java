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
 * @param reports     which inputs (by name) this scan reports on: all of them, except in a shard ({@code --shard
 *                    K/N}), where a cross-input analyzer gets every input for its inventory but only this shard's
 *                    are reported (anything reported about the others is dropped); it may skip judging them
 */
public record ScanContext(Consumer<Target> targets, Consumer<Finding> findings, Consumer<String> warnings,
                          Consumer<FunctionSummary> summaries, Clock clock, int parallelism,
                          java.util.function.Predicate<String> reports) {

    public ScanContext {
        parallelism = Math.max(1, parallelism);
        reports = reports == null ? name -> true : reports;
    }

    public ScanContext(Consumer<Target> targets, Consumer<Finding> findings, Consumer<String> warnings,
                       Consumer<FunctionSummary> summaries, Clock clock, int parallelism) {
        this(targets, findings, warnings, summaries, clock, parallelism, null);
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
