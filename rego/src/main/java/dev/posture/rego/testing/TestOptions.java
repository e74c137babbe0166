package dev.posture.rego.testing;

import dev.posture.rego.PolicySet;
import dev.posture.rego.RegoVersion;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Options for {@link TestRunner}: {@code run} filters tests by regex (null = all), {@code version} selects the syntax
 * (AUTO: v1, falling back to v0 per file), {@code timeout} bounds each test, {@code configure} (may be null) can
 * adjust the policy set builder (e.g. register custom builtins), {@code ignore} lists glob patterns of file and
 * directory names to skip while loading (OPA's {@code --ignore}).
 */
public record TestOptions(String run, RegoVersion version, Duration timeout, Consumer<PolicySet.Builder> configure,
        List<String> ignore) {

    public TestOptions {
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
    }

    public TestOptions(String run, RegoVersion version, Duration timeout) {
        this(run, version, timeout, null, List.of());
    }

    public TestOptions(String run, RegoVersion version, Duration timeout, Consumer<PolicySet.Builder> configure) {
        this(run, version, timeout, configure, List.of());
    }

    public static TestOptions defaults() {
        return new TestOptions(null, RegoVersion.AUTO, Duration.ofSeconds(30));
    }

    /** Convenience for the CLI: run filter (may be null) and v0-compatible flag (false = v1 with v0 fallback). */
    public static TestOptions of(String run, boolean v0) {
        return new TestOptions(run, v0 ? RegoVersion.V0 : RegoVersion.AUTO, Duration.ofSeconds(30));
    }

    public TestOptions withRun(String regex) {
        return new TestOptions(regex, version, timeout, configure, ignore);
    }

    public TestOptions withVersion(RegoVersion v) {
        return new TestOptions(run, v, timeout, configure, ignore);
    }

    public TestOptions withConfigure(Consumer<PolicySet.Builder> c) {
        return new TestOptions(run, version, timeout, c, ignore);
    }

    public TestOptions withIgnore(List<String> patterns) {
        return new TestOptions(run, version, timeout, configure, patterns);
    }
}
