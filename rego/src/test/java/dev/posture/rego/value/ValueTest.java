package dev.posture.rego.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTest {
    @Test
    void typeOrder() {
        List<Value> l = new ArrayList<>(List.of(Value.set(List.of()), Value.EMPTY_OBJECT, Value.EMPTY_ARRAY, Value.str("a"),
                Value.num(1), Value.bool(false), Value.NULL));
        Collections.sort(l);
        assertThat(l).extracting(Value::typeName).containsExactly("null", "boolean", "number", "string", "array", "object", "set");
    }

    @Test
    void numbersCompareAcrossRepresentations() {
        assertThat(Value.num(new BigDecimal("1.0"))).isEqualTo(Value.num(1));
        assertThat(Value.num(new BigDecimal("1.0")).hashCode()).isEqualTo(Value.num(1).hashCode());
        assertThat(Value.Num.parse("12345678901234567890123").text()).isEqualTo("12345678901234567890123");
        assertThat(Value.Num.parse("0.5").compareTo(Value.num(1))).isNegative();
    }

    @Test
    void setsAndObjectsAreStructural() {
        Value a = Json.parse("{\"a\": [1, 2], \"b\": {\"c\": true}}");
        Value b = Json.parse("{\"b\": {\"c\": true}, \"a\": [1, 2]}");
        assertThat(a).isEqualTo(b);
        assertThat(Value.set(List.of(Value.num(2), Value.num(1)))).isEqualTo(Value.set(List.of(Value.num(1), Value.num(2))));
        assertThat(Value.set(List.of(Value.num(2), Value.num(1))).toString()).isEqualTo("{1, 2}");
    }

    @Test
    void jsonConversionSortsSetsAndStringifiesKeys() {
        java.util.LinkedHashMap<Value, Value> m = new java.util.LinkedHashMap<>();
        m.put(Value.num(3), Value.set(List.of(Value.str("b"), Value.str("a"))));
        assertThat(Json.toJson(Value.obj(m)).toString()).isEqualTo("{\"3\":[\"a\",\"b\"]}");
    }

    @Test
    void deepJsonConvertsIteratively() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("[".repeat(20000)).append("]".repeat(20000));
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        om.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(100000).build());
        Value v = Json.fromJson(om.readTree(sb.toString()));
        assertThat(v).isInstanceOf(Value.Arr.class);
    }
}
