package dev.posture.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * What one rule package may spend on one input. A package over either limit fails that input's evaluation
 * (with an error naming the package); the other inputs, and the other packages on that input, are unaffected.
 *
 * @param maxSteps evaluation steps one package may take on one input (the embedded engine counts one per
 *                 expression evaluated; deterministic, so a budget overrun is the same on every machine)
 * @param timeout  wall-clock time one input may take (all packages together, then each package alone before one
 *                 is blamed)
 */
public record EvalLimits(long maxSteps, Duration timeout) {
    /** 5,000,000 steps per package per input (the bundled policies take well under 10,000) and 5 s per input. */
    public static final EvalLimits DEFAULT = new EvalLimits(5_000_000, Duration.ofSeconds(5));

    public EvalLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive");
        }
    }
}
