package dev.posture.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PolicyEngine bridge on the embedded engine, with nothing Kubernetes-specific. */
class EmbeddedRegoEngineTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static final PolicyModule SIZES = new PolicyModule("rules/sizes.rego", """
            # METADATA
            # title: Too big
            # description: Orders over the limit.
            # related_resources:
            #   - ref: https://example.com/limits
            #   - https://example.com/plain
            # custom:
            #   id: too-big
            #   severity: high
            #   control: size
            package checks.sizes

            # METADATA
            # title: a rule-scope block, not the package's
            deny contains {"msg": sprintf("order %v is too big", [o.id]), "path": ["orders", i]} if {
            	some i, o in input.orders
            	o.qty > data.limit
            }

            warn contains "many orders" if count(input.orders) > 2
            """);

    static final PolicyModule QUOTED = new PolicyModule("rules/legacy.rego", """
            package checks["legacy-v0"]

            # METADATA
            # scope: package
            # title: Legacy
            # custom: {id: legacy}

            deny contains msg if {
              input.legacy == true
              msg := "legacy"
            }
            """);

    static final PolicyModule HELPER = new PolicyModule("lib/helper.rego", """
            package lib.helper
            double(x) := 2 * x
            """);

    static final PolicyModule BURN = new PolicyModule("rules/burn.rego", """
            package checks.burn
            deny contains "never" if {
            	input.burn
            	some i in numbers.range(1, 2000)
            	some j in numbers.range(1, 2000)
            	i == j + 100000
            }
            """);

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void packagesAndTheirMetadataAreReadFromTheSources() throws Exception {
        PolicyEngine.LoadedPolicies p = new EmbeddedRegoEngine().load(List.of(SIZES, QUOTED, HELPER), json("{\"limit\": 5}"),
                EvalLimits.DEFAULT);
        List<RulePackage> all = p.packages("checks");
        assertThat(all).extracting(RulePackage::path).containsExactly("checks.legacy-v0", "checks.sizes");
        RulePackage sizes = all.get(1);
        assertThat(sizes.module()).isEqualTo("rules/sizes.rego");
        assertThat(sizes.documents()).containsExactlyInAnyOrder("deny", "warn");
        assertThat(sizes.metadata().title()).isEqualTo("Too big");
        assertThat(sizes.metadata().description()).isEqualTo("Orders over the limit.");
        assertThat(sizes.metadata().relatedResources()).containsExactly("https://example.com/limits", "https://example.com/plain");
        assertThat(sizes.metadata().id()).isEqualTo("too-big");
        assertThat(sizes.metadata().severity()).isEqualTo("high");
        assertThat(sizes.metadata().control()).isEqualTo("size");
        assertThat(sizes.ruleName()).isEqualTo("too-big (checks.sizes)");
        assertThat(all.get(0).metadata().title()).isEqualTo("Legacy");
        assertThat(p.packages("checks.sizes")).hasSize(1);
        assertThat(p.packages("check")).isEmpty();
        assertThat(p.packages("lib")).isEmpty(); // defines neither deny nor warn
    }

    @Test
    void conventionsChooseWhichDocumentsAreEvaluated() throws Exception {
        PolicyModule conftest = new PolicyModule("main.rego", """
                package main
                deny contains "d" if input.a
                deny_latest contains "l" if input.a
                violation contains {"msg": "v"} if input.a
                warn_old contains "w" if input.a
                exception contains rules if { input.a; rules := ["latest"] }
                denylist := ["not", "a", "document"]
                deny_fn(x) := x
                """);
        PolicyEngine.LoadedPolicies p = new EmbeddedRegoEngine().load(List.of(conftest), null, EvalLimits.DEFAULT);
        RulePackage main = p.packages("main").get(0);
        assertThat(main.documents()).containsExactlyInAnyOrder("deny", "deny_latest", "violation", "warn_old", "exception");

        PolicyEngine.PackageResult own = p.evaluator(List.of(main)).evaluate(json("{\"a\": true}")).results().get(0);
        assertThat(own.documents()).containsOnlyKeys("deny"); // posture's own: deny and warn only
        PolicyEngine.PackageResult all = p.evaluator(List.of(main), d -> true).evaluate(json("{\"a\": true}"))
                .results().get(0);
        assertThat(all.document("deny_latest")).extracting(JsonNode::asText).containsExactly("l");
        assertThat(all.document("violation")).extracting(n -> n.get("msg").asText()).containsExactly("v");
        assertThat(all.document("warn_old")).extracting(JsonNode::asText).containsExactly("w");
        assertThat(all.document("exception")).singleElement().hasToString("[\"latest\"]");
        PolicyEngine.PackageResult none = p.evaluator(List.of(main), d -> true).evaluate(json("{}")).results().get(0);
        assertThat(none.document("deny_latest")).isEmpty();
    }

    @Test
    void oneEvaluationGivesEveryPackagesDenyAndWarnWithData() throws Exception {
        PolicyEngine.LoadedPolicies p = new EmbeddedRegoEngine().load(List.of(SIZES, QUOTED, HELPER), json("{\"limit\": 5}"),
                EvalLimits.DEFAULT);
        PolicyEngine.PackageEvaluator ev = p.evaluator(p.packages("checks"));
        PolicyEngine.Evaluation r = ev.evaluate(json("""
                {"legacy": true, "orders": [{"id": "a", "qty": 9}, {"id": "b", "qty": 1}, {"id": "c", "qty": 6}]}"""));
        assertThat(r.errors()).isEmpty();
        assertThat(r.results()).hasSize(2);
        PolicyEngine.PackageResult legacy = r.results().get(0);
        assertThat(legacy.deny()).extracting(JsonNode::asText).containsExactly("legacy");
        PolicyEngine.PackageResult sizes = r.results().get(1);
        assertThat(sizes.deny()).extracting(n -> n.get("msg").asText())
                .containsExactlyInAnyOrder("order a is too big", "order c is too big");
        assertThat(sizes.deny()).extracting(n -> n.get("path").toString()).contains("[\"orders\",0]");
        assertThat(sizes.warn()).extracting(JsonNode::asText).containsExactly("many orders");

        PolicyEngine.Evaluation clean = ev.evaluate(json("{\"orders\": []}"));
        assertThat(clean.results()).allSatisfy(x -> {
            assertThat(x.deny()).isEmpty();
            assertThat(x.warn()).isEmpty();
        });
    }

    @Test
    void aPackageOverItsBudgetFailsAloneAndIsNamed() throws Exception {
        PolicyEngine.LoadedPolicies p = new EmbeddedRegoEngine().load(List.of(SIZES, BURN), json("{\"limit\": 5}"),
                new EvalLimits(100_000, Duration.ofSeconds(30)));
        PolicyEngine.PackageEvaluator ev = p.evaluator(p.packages(""));
        PolicyEngine.Evaluation r = ev.evaluate(json("{\"burn\": true, \"orders\": [{\"id\": \"a\", \"qty\": 9}]}"));
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.pkg().path()).isEqualTo("checks.burn");
            assertThat(e.reason()).isEqualTo("evaluation step budget exceeded (100000 steps)");
        });
        assertThat(r.results()).singleElement().satisfies(x -> assertThat(x.deny()).hasSize(1));
        // the same policies on an input that does not trigger it: one evaluation, no error
        assertThat(ev.evaluate(json("{\"orders\": []}")).errors()).isEmpty();
    }

    @Test
    void compileErrorsNameTheModule() {
        PolicyModule broken = new PolicyModule("rules/broken.rego", "package x\n\ndeny contains y if {\n  y := z\n}\n");
        // reported when the module is loaded or, for errors the engine finds per query, when evaluation is prepared
        assertThatThrownBy(() -> {
            PolicyEngine.LoadedPolicies p = new EmbeddedRegoEngine().load(List.of(broken), null, EvalLimits.DEFAULT);
            p.evaluator(p.packages(""));
        }).isInstanceOf(PolicyException.class).hasMessageContaining("rules/broken.rego:4")
                .hasMessageContaining("rego_unsafe_var_error");
        PolicyModule syntax = new PolicyModule("rules/syntax.rego", "package x\n\ndeny contains 1 if {\n");
        assertThatThrownBy(() -> new EmbeddedRegoEngine().load(List.of(syntax), null, EvalLimits.DEFAULT))
                .isInstanceOf(PolicyException.class).hasMessageContaining("rules/syntax.rego:")
                .hasMessageContaining("rego_parse_error");
        PolicyModule badMeta = new PolicyModule("rules/meta.rego", "# METADATA\n# title: [unclosed\npackage y\n");
        assertThatThrownBy(() -> new EmbeddedRegoEngine().load(List.of(badMeta), null, EvalLimits.DEFAULT))
                .isInstanceOf(PolicyException.class).hasMessageContaining("rules/meta.rego:1: METADATA is not valid YAML");
    }
}
