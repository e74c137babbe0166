package dev.posture.rego.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.rego.EvalRunner;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.value.Value;
import org.junit.jupiter.api.Test;

/** Guards the performance design: rule indexing and comprehension indexing keep these queries near-linear. */
class PerfSmokeTest {
    static ObjectNode input(int n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode in = f.objectNode();
        in.put("kind", "Pod");
        ArrayNode cs = in.putArray("containers");
        for (int i = 0; i < n; i++) {
            ObjectNode c = cs.addObject();
            c.put("name", "c" + i);
            c.put("image", "img" + (i % 50));
            c.put("privileged", i % 7 == 0);
        }
        return in;
    }

    @Test
    void comprehensionJoinIsLinear() {
        String p = """
                package x
                same_image contains [c.name, n] if {
                  some c in input.containers
                  names := {o.name | some o in input.containers; o.image == c.image}
                  n := count(names)
                }
                """;
        PolicySet ps = PolicySet.builder().module("p.rego", p).build();
        PreparedQuery q = ps.prepare("count(data.x.same_image)");
        long t0 = System.nanoTime();
        Value v = q.eval(Value.class.cast(dev.posture.rego.value.Json.fromJson(input(3000))), null).rows().get(0).expressions().get(0).value();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(v).isEqualTo(Value.num(3000));
        System.out.println("comprehension join over 3000 containers: " + ms + " ms");
        assertThat(ms).isLessThan(5000);
    }

    @Test
    void manyRulesIndexedOnKind() {
        StringBuilder sb = new StringBuilder("package x\n");
        for (int i = 0; i < 300; i++) {
            sb.append("deny contains \"r").append(i).append("\" if {\n  some c in input.containers\n  c.privileged\n  input.kind == \"Kind")
                    .append(i).append("\"\n}\n");
        }
        sb.append("deny contains \"pod\" if { input.kind == \"Pod\"; some c in input.containers; c.privileged }\n");
        PolicySet ps = PolicySet.builder().module("p.rego", sb.toString()).build();
        PreparedQuery q = ps.prepare("data.x.deny");
        EvalRunner.BenchResult r = EvalRunner.bench(q, input(200), 50);
        System.out.println("300 rules x 200 containers: " + r);
        assertThat(q.eval(input(200)).rows().get(0).expressions().get(0).value().toString()).isEqualTo("{\"pod\"}");
    }
}
