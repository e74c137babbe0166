package dev.posture.scan;

import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Target;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What analyzers report into. Thread-safe: analyzers may work in parallel.
 *
 * @param clock the scan's notion of "now" (end-of-support dates, expiry), fixed in tests
 */
public record ScanContext(Consumer<Target> targets, Consumer<Finding> findings, Consumer<String> warnings,
                          Consumer<FunctionSummary> summaries, Clock clock) {

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
