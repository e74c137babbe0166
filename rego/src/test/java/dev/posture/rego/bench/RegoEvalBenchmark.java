package dev.posture.rego.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scenario 2: the whole set of 31 rules (12 Gatekeeper templates queried as {@code data.bench.gatekeeper}, 19
 * Trivy checks queried as {@code data.builtin.kubernetes}) against one Deployment. One operation = both queries,
 * including the JSON → value conversion of both inputs. Target: median under 0.5 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegoEvalBenchmark {
    private PreparedQuery gatekeeper;
    private PreparedQuery trivy;
    private JsonNode gatekeeperInput;
    private JsonNode trivyInput;

    @Setup
    public void setup() {
        PolicySet ps = BenchCorpus.build(BenchCorpus.ruleSet());
        gatekeeper = ps.prepare("data.bench.gatekeeper");
        trivy = ps.prepare("data.builtin.kubernetes");
        gatekeeperInput = BenchCorpus.gatekeeperInput();
        trivyInput = BenchCorpus.deployment();
    }

    @Benchmark
    public void thirtyOneRulesOneDeployment(Blackhole bh) {
        QueryResult g = gatekeeper.eval(gatekeeperInput);
        QueryResult t = trivy.eval(trivyInput);
        bh.consume(g);
        bh.consume(t);
    }
}
