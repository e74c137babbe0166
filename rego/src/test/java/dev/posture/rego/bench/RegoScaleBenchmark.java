package dev.posture.rego.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoVersion;
import dev.posture.rego.value.Json;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 3: {@code bench/scale.rego} over an input of {@code size} items: comprehensions over the whole input,
 * including comprehensions that refer to a variable bound outside them (indexed, as in OPA). Target: linear,
 * 10× input → at most 12× time. One operation = one evaluation of {@code data.bench.scale.summary}, including the
 * JSON → value conversion of the input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RegoScaleBenchmark {
    @Param({"1000", "10000"})
    public int size;

    private PreparedQuery query;
    private JsonNode input;

    @Setup
    public void setup() {
        PolicySet ps = BenchCorpus.build(List.of(new BenchCorpus.Src("scale.rego", BenchCorpus.resource("scale.rego"), RegoVersion.V1)));
        query = ps.prepare("data.bench.scale.summary");
        input = input(size);
    }

    /** {@code n} workloads: 50 teams, n/4 distinct images (4 users each), every 13th privileged, every 7th :latest. */
    public static JsonNode input(int n) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode items = root.putArray("items");
        int images = Math.max(1, n / 4);
        for (int i = 0; i < n; i++) {
            ObjectNode o = items.addObject();
            o.put("name", "svc-" + i);
            o.put("team", "team-" + (i % 50));
            int img = i % images;
            o.put("image", "registry.example.com/app-" + img + (img % 7 == 0 ? ":latest" : ":1.0." + (img % 10)));
            o.put("privileged", i % 13 == 0);
            o.putArray("ports").add(8000 + (i % 100));
        }
        return root;
    }

    @Benchmark
    public QueryResult evaluate() {
        return query.eval(input);
    }
}
