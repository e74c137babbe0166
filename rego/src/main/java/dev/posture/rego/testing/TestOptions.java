package dev.posture.rego.testing;

import dev.posture.rego.PolicySet;
import dev.posture.rego.RegoVersion;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options for {@link TestRunner}: {@code run} filters tests by regex (null = all), {@code version} selects the syntax
 * (AUTO: v1, falling back to v0 per file), {@code timeout} bounds each test, {@code configure} (may be null) can
 * adjust the policy set builder (e.g. register custom builtins).
 */
public record TestOptions(String run, RegoVersion version, Duration timeout, Consumer<PolicySet.Builder> configure) {

    public TestOptions(String run, RegoVersion version, Duration timeout) {
        this(run, version, timeout, null);
    }

    public static TestOptions defaults() {
        return new TestOptions(null, RegoVersion.AUTO, Duration.ofSeconds(30));
    }

    /** Convenience for the CLI: run filter (may be null) and v0-compatible flag (false = v1 with v0 fallback). */
    public static TestOptions of(String run, boolean v0) {
        return new TestOptions(run, v0 ? RegoVersion.V0 : RegoVersion.AUTO, Duration.ofSeconds(30));
    }

    public TestOptions withRun(String regex) {
        return new TestOptions(regex, version, timeout, configure);
    }

    public TestOptions withVersion(RegoVersion v) {
        return new TestOptions(run, v, timeout, configure);
    }

    public TestOptions withConfigure(Consumer<PolicySet.Builder> c) {
        return new TestOptions(run, version, timeout, c);
    }
}
