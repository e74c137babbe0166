package dev.posture.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicySources;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image control fixtures ({@code fixtures/controls/image/<control>/{positive,negative}/*.json}, image policy
 * inputs) evaluated by the bundled image policies on the embedded engine and through OPA's REST API (the OPA API
 * double): every package's documents are the same, value for value.
 */
class OpaImageControlsParityWithOpaApiDoubleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyImageControlFixtureGivesTheSameDocumentsThroughOpa() throws Exception {
        Path base = Path.of(System.getProperty("posture.root", "..")).resolve("fixtures/controls/image");
        List<Path> inputs;
        try (Stream<Path> s = Files.walk(base)) {
            inputs = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(inputs).hasSizeGreaterThan(40);
        ObjectNode data = JSON.createObjectNode();
        data.putObject("config").put("image_max_age_days", 365);
        var modules = PolicySources.bundled("policies/image");
        int nonEmpty = 0;
        try (OpaApiDouble opa = OpaApiDouble.start();
             OpaPolicyEngine engine = OpaPolicyEngine.connect(OpaOptions.of(opa.url()));
             var viaOpa = engine.load(modules, data, EvalLimits.DEFAULT);
             var embedded = new EmbeddedRegoEngine().load(modules, data, EvalLimits.DEFAULT)) {
            var a = embedded.evaluator(embedded.packages("posture.image"));
            var b = viaOpa.evaluator(viaOpa.packages("posture.image"));
            assertThat(viaOpa.packages("posture.image")).isEqualTo(embedded.packages("posture.image"));
            for (Path in : inputs) {
                JsonNode input = JSON.readTree(in.toFile());
                PolicyEngine.Evaluation x = a.evaluate(input);
                PolicyEngine.Evaluation y = b.evaluate(input);
                assertThat(y.errors()).as(in.toString()).isEmpty();
                assertThat(render(y)).as(in.toString()).isEqualTo(render(x));
                nonEmpty += x.results().stream().mapToInt(r -> r.deny().size()).sum();
            }
            assertThat(opa.count("POST", "/v1/data/posture/image")).isEqualTo(inputs.size());
        }
        assertThat(nonEmpty).isGreaterThan(inputs.size() / 2);
    }

    private static String render(PolicyEngine.Evaluation e) {
        StringBuilder sb = new StringBuilder();
        for (PolicyEngine.PackageResult r : e.results()) {
            sb.append(r.pkg().path()).append(' ').append(r.documents()).append('\n');
        }
        return sb.toString();
    }
}
