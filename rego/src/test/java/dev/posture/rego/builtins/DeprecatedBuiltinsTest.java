package dev.posture.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.posture.rego.PolicySet;
import dev.posture.rego.QueryResult;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import org.junit.jupiter.api.Test;

/** Builtins that OPA keeps for Rego v0 only (v1 refuses them at compile time). */
class DeprecatedBuiltinsTest {
    static String v0(String expr) {
        PolicySet ps = PolicySet.builder().v0Compatible(true).strictBuiltinErrors(true).module("d.rego", "package d\np = x { x := " + expr + " }\n")
                .build();
        QueryResult r = ps.prepare("y := data.d.p").eval((Value) null, null);
        return r.isEmpty() ? "undefined" : Json.toJson(r.rows().get(0).bindings().get("y")).toString();
    }

    @Test
    void castsSetDiffAndCidrOverlap() {
        assertThat(v0("[cast_array({2, 1}), cast_set([1, 1]), cast_string(\"s\"), cast_boolean(true), cast_null(null), cast_object({})]"))
                .isEqualTo("[[1,2],[1],\"s\",true,null,{}]");
        assertThat(v0("set_diff({1, 2}, {2})")).isEqualTo("[1]");
        assertThat(v0("[net.cidr_overlap(\"10.0.0.0/8\", \"10.9.9.9\"), net.cidr_overlap(\"10.0.0.0/8\", \"11.0.0.1\")]")).isEqualTo("[true,false]");
        assertThatThrownBy(() -> v0("cast_string(1)")).hasMessageContaining("operand 1 must be string but got number");
    }
}
