package dev.posture.rego.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.posture.rego.PolicySet;
import dev.posture.rego.value.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark corpus honest: it compiles and the rules find what the Deployment gets wrong. */
class BenchCorpusTest {
    @Test
    void hundredModulesCompile() {
        assertThat(BenchCorpus.build(BenchCorpus.modules(100)).modules()).hasSize(100);
    }

    @Test
    void everyRuleOfTheSetFires() {
        PolicySet ps = BenchCorpus.build(BenchCorpus.ruleSet());
        JsonNode gk = ps.prepare("data.bench.gatekeeper").eval(BenchCorpus.gatekeeperInput()).toJson()
                .at("/result/0/expressions/0/value");
        JsonNode tr = ps.prepare("data.builtin.kubernetes").eval(BenchCorpus.deployment()).toJson()
                .at("/result/0/expressions/0/value");
        if (Boolean.getBoolean("bench.print")) {
            System.out.println(gk.toPrettyString());
            System.out.println(tr.toPrettyString());
        }
        for (String g : new String[] {"k8spspprivileged", "k8spsphostfilesystem", "capabilities", "k8spsphostnamespace",
                "k8spsphostnetworkingports", "k8scontainerlimits", "k8sdisallowedtags",
                "k8spspallowprivilegeescalationcontainer", "k8spspreadonlyrootfilesystem", "k8spspseccomp",
                "k8srequiredlabels", "k8sallowedrepos"}) {
            assertThat(gk.path(g).path("violation").size()).as(g).isPositive();
        }
        assertThat(tr.size()).isEqualTo(BenchCorpus.TRIVY.size());
        int[] firing = {0};
        tr.fields().forEachRemaining(e -> firing[0] += e.getValue().path("deny").isEmpty() ? 0 : 1);
        assertThat(firing[0]).as("Trivy checks that fire (all but hostIPC and hostNetwork)").isEqualTo(BenchCorpus.TRIVY.size() - 2);
    }

    @Test
    void scalePolicy() {
        PolicySet ps = BenchCorpus.build(java.util.List.of(new BenchCorpus.Src("scale.rego",
                BenchCorpus.resource("scale.rego"), dev.posture.rego.RegoVersion.V1)));
        JsonNode r = ps.prepare("data.bench.scale.summary").eval(RegoScaleBenchmark.input(1000)).toJson()
                .at("/result/0/expressions/0/value");
        assertThat(Json.MAPPER.convertValue(r, java.util.Map.class)).containsEntry("items", 1000L).containsEntry("teams", 50L)
                .containsEntry("images", 250L).containsEntry("shared_image", 1000L).containsEntry("large_teams", 0L);
    }
}
