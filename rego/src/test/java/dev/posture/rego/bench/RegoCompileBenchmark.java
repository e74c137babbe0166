package dev.posture.rego.bench;

import dev.posture.rego.PolicySet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 1: parse and compile 100 policy modules (Gatekeeper v0 and Trivy v1 styles, 100 packages) into a
 * {@link PolicySet}. Target: under 300 ms warm on a 2-core machine. Run with {@code scripts/bench-rego.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RegoCompileBenchmark {
    private List<BenchCorpus.Src> modules;

    @Setup
    public void setup() {
        modules = BenchCorpus.modules(100);
    }

    @Benchmark
    public PolicySet parseAndCompile100Modules() {
        return BenchCorpus.build(modules);
    }
}
