package dev.posture.rego.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.posture.rego.EvalRunner;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoError;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    static QueryResult eval(String policy, String query, String input) {
        PolicySet ps = PolicySet.builder().module("p.rego", policy).build();
        return ps.prepare(query).eval(input == null ? null : Json.fromJson(parse(input)), null);
    }

    static JsonNode parse(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void undefinedVersusFalse() {
        String p = "package x\ndefault d := false\nu if input.nope\n";
        assertThat(eval(p, "data.x.u", "{}").isEmpty()).isTrue();
        assertThat(eval(p, "data.x.d", "{}").rows().get(0).expressions().get(0).value()).isEqualTo(Value.bool(false));
    }

    @Test
    void iterationAndBindings() {
        QueryResult r = eval("package x\n", "input.items[i] = v; v > 1", "{\"items\": [1, 2, 3]}");
        assertThat(r.rows()).hasSize(2);
        assertThat(r.rows().get(0).bindings()).containsEntry("i", Value.num(1)).containsEntry("v", Value.num(2));
    }

    @Test
    void opaEvalJsonShape() {
        QueryResult r = eval("package x\np := 7\n", "data.x.p", null);
        JsonNode j = r.toJson();
        assertThat(j.get("result").get(0).get("expressions").get(0).get("value").asInt()).isEqualTo(7);
        assertThat(j.get("result").get(0).get("expressions").get(0).get("text").asText()).isEqualTo("data.x.p");
        assertThat(eval("package x\n", "input.a", "{}").toJson().toString()).isEqualTo("{}");
        assertThat(EvalRunner.pretty(j)).isEqualTo("7");
    }

    @Test
    void unsafeVariableIsCompileError() {
        assertThatThrownBy(() -> eval("package x\np if { y > 1 }\n", "data.x.p", null)).isInstanceOf(RegoError.class)
                .satisfies(e -> assertThat(((RegoError) e).code()).isEqualTo("rego_unsafe_var_error"))
                .hasMessage("p.rego:2: rego_unsafe_var_error: var y is unsafe");
    }

    @Test
    void recursionIsCompileError() {
        assertThatThrownBy(() -> eval("package x\np if q\nq if p\n", "data.x.p", null))
                .satisfies(e -> assertThat(((RegoError) e).code()).isEqualTo("rego_recursion_error"));
    }

    @Test
    void withReplacesInputDataAndFunctions() {
        String p = "package x\nf(a) := a\nq := f(input.v) + data.d\nr := y if { y := q with input.v as 1 with data.d as 2 }\n";
        assertThat(eval(p, "data.x.r", null).rows().get(0).expressions().get(0).value()).isEqualTo(Value.num(3));
        String p2 = "package x\nr := y if { y := count([1, 2]) with count as 42 }\n";
        assertThat(eval(p2, "data.x.r", null).rows().get(0).expressions().get(0).value()).isEqualTo(Value.num(42));
    }

    @Test
    void printGoesToSink() {
        List<String> out = new ArrayList<>();
        PolicySet ps = PolicySet.builder().module("p.rego", "package x\np if { print(\"hello\", 1, input.nope) }\n")
                .printSink(out::add).build();
        ps.prepare("data.x.p").eval((Value) null, null);
        assertThat(out).containsExactly("hello 1 <undefined>");
    }

    @Test
    void printInsideATermThatIteratesRunsOncePerSolution() {
        // a term holding print is never evaluated in direct style, so a bail-out to iteration cannot repeat its output
        List<String> out = new ArrayList<>();
        String p = "package x\n"
                + "p contains v if { v := [n | n := input.xs[_]; print(\"item\", n)][input.ix[_]] }\n"
                + "q contains y if { y := input.xs[_]; print(\"y\", y) }\n";
        PolicySet ps = PolicySet.builder().module("p.rego", p).printSink(out::add).build();
        JsonNode in = Json.MAPPER.createObjectNode().set("xs", Json.MAPPER.valueToTree(List.of(1, 2)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) in).set("ix", Json.MAPPER.valueToTree(List.of(0, 1)));
        QueryResult r = ps.prepare("data.x").eval(in);
        assertThat(r.toJson().toString()).contains("\"p\":[1,2]").contains("\"q\":[1,2]");
        assertThat(out).containsExactlyInAnyOrder("item 1", "item 2", "y 1", "y 2");
    }

    @Test
    void deepInputGivesResultOrClearErrorNotStackOverflow() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode root = f.arrayNode();
        ArrayNode cur = root;
        for (int i = 0; i < 10_000; i++) {
            ArrayNode n = f.arrayNode();
            cur.add(n);
            cur = n;
        }
        PolicySet ps = PolicySet.builder().module("p.rego", "package x\nn := count(input)\nw := count([p | walk(input, [p, _])])\n").build();
        assertThat(ps.prepare("data.x.n").eval(root).rows().get(0).expressions().get(0).value()).isEqualTo(Value.num(1));
        try {
            QueryResult r = ps.prepare("data.x.w").eval(root);
            assertThat(r.rows()).isNotEmpty();
        } catch (RegoError e) {
            assertThat(e.code()).isEqualTo("eval_cancel_error");
        }
        try {
            QueryResult r = ps.prepare("input").eval(root);
            assertThat(r.rows()).hasSize(1);
        } catch (RegoError e) {
            assertThat(e.getMessage()).contains("stack depth");
        }
    }

    @Test
    void stepBudgetAndTimeout() {
        String p = "package x\np := count([1 | some i in numbers.range(1, 100000)])\n";
        PolicySet ps = PolicySet.builder().module("p.rego", p).maxSteps(1000).build();
        assertThatThrownBy(() -> ps.prepare("data.x.p").eval((Value) null, null)).isInstanceOf(RegoError.class)
                .hasMessageContaining("step budget");
        PolicySet ps2 = PolicySet.builder().module("p.rego", p).timeout(Duration.ofNanos(1)).build();
        assertThatThrownBy(() -> ps2.prepare("data.x.p").eval((Value) null, null)).isInstanceOf(RegoError.class)
                .hasMessageContaining("deadline");
    }

    @Test
    void preparedQueryIsThreadSafe() throws Exception {
        PolicySet ps = PolicySet.builder().module("p.rego", "package x\ndeny contains m if { some c in input.cs; c > 1; m := sprintf(\"%d\", [c]) }\n").build();
        PreparedQuery q = ps.prepare("data.x.deny");
        var pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            final int n = i;
            fs.add(pool.submit(() -> {
                Value in = Json.parse("{\"cs\": [1, 2, " + (n + 3) + "]}");
                Value v = q.eval(in, null).rows().get(0).expressions().get(0).value();
                return ((Value.SetV) v).size();
            }));
        }
        for (Future<Integer> f : fs) {
            assertThat(f.get()).isEqualTo(2);
        }
        pool.shutdown();
    }

    @Test
    void metadataChain() {
        String p = "# METADATA\n# title: P\npackage x\n# METADATA\n# custom:\n#   id: R1\nr := rego.metadata.chain()\n";
        Value v = eval(p, "data.x.r", null).rows().get(0).expressions().get(0).value();
        assertThat(Json.toJson(v).toString()).contains("\"id\":\"R1\"").contains("\"title\":\"P\"");
    }

    @Test
    void capabilitiesDenyBuiltinsAndDataAtEvalTime() {
        assertThatThrownBy(() -> PolicySet.builder().module("p.rego", "package x\np := time.now_ns()\n")
                .denyBuiltins(List.of("time.now_ns")).build()).isInstanceOf(RegoError.class)
                .hasMessageContaining("not allowed by the capabilities");
        PolicySet ps = PolicySet.builder().module("p.rego", "package x\np := data.cfg.v\n").build();
        QueryResult r = ps.prepare("data.x.p").eval(null, parse("{\"cfg\": {\"v\": 3}}"));
        assertThat(r.rows().get(0).expressions().get(0).value()).isEqualTo(Value.num(3));
    }

    @Test
    void errorsCarryLocation() {
        try {
            eval("package x\np if {\n  y > 1\n}\n", "data.x.p", null);
        } catch (RegoError e) {
            assertThat(e.locationText()).isEqualTo("p.rego:3:3");
            assertThat(e.detail()).isEqualTo("var y is unsafe");
            return;
        }
        throw new AssertionError("expected error");
    }

    @Test
    void customBuiltins() {
        PolicySet ps = PolicySet.builder().module("p.rego", "package x\np := result.new(\"m\", {\"a\": 1})\n")
                .customBuiltin("result.new", 2, (args, ctx) -> Value.objOf("msg", args[0], "res", args[1])).build();
        Value v = ps.prepare("data.x.p").eval((Value) null, null).rows().get(0).expressions().get(0).value();
        assertThat(Json.toJson(v).toString()).isEqualTo("{\"msg\":\"m\",\"res\":{\"a\":1}}");
        assertThatThrownBy(() -> PolicySet.builder().module("p.rego", "package x\np := result.new(1, 2)\n").build())
                .hasMessageContaining("undefined function result.new");
    }

    @Test
    void deeplyNestedPolicySourceGivesClearError() {
        String deep = "package x\np := " + "[".repeat(50_000) + "]".repeat(50_000) + "\n";
        assertThatThrownBy(() -> PolicySet.builder().module("p.rego", deep).build()).isInstanceOf(RegoError.class)
                .hasMessageContaining("p.rego:2").hasMessageContaining("rego_parse_error")
                .hasMessageContaining("nested deeper than 500 levels");
        String nested = "package x\np := " + "(".repeat(400) + "[1]" + ")".repeat(400) + "\n";
        QueryResult r = PolicySet.builder().module("p.rego", nested).build().prepare("data.x.p").eval((JsonNode) null);
        assertThat(r.toJson().toString()).contains("[1]");
    }

    @Test
    void prettyTableForBindings() {
        QueryResult r = eval("package x\n", "some i; x := [\"a\", \"b\"][i]", null);
        assertThat(EvalRunner.pretty(r.toJson())).isEqualTo("""
                +---+-----+
                | i | x   |
                +---+-----+
                | 0 | "a" |
                | 1 | "b" |
                +---+-----+""");
        assertThat(EvalRunner.pretty(eval("package x\n", "input.nope", "{}").toJson())).isEqualTo("undefined");
    }

    @Test
    void constantRulesAreSharedAcrossEvaluationsButInputDependentOnesAreNot() {
        String p = "package x\nbig := {k: v | some k, v in data.table}\nlook := big[input.k]\n"
                + "t := y if { y := look with input as {\"k\": \"b\"} }\n";
        PolicySet ps = PolicySet.builder().module("p.rego", p).data(parse("{\"table\": {\"a\": 1, \"b\": 2}}")).build();
        PreparedQuery q = ps.prepare("[data.x.look, data.x.t]");
        assertThat(q.eval(parse("{\"k\": \"a\"}")).rows().get(0).expressions().get(0).value().toString()).isEqualTo("[1, 2]");
        assertThat(q.eval(parse("{\"k\": \"b\"}")).rows().get(0).expressions().get(0).value().toString()).isEqualTo("[2, 2]");
        // data supplied per call must not see the shared cache
        assertThat(q.eval(parse("{\"k\": \"a\"}"), parse("{\"table\": {\"a\": 9, \"b\": 8}}")).rows().get(0).expressions()
                .get(0).value().toString()).isEqualTo("[9, 8]");

    }
}
