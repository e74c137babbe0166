package dev.posture.rego.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small input objects are converted to a compact map; they must behave exactly like the hash-map objects. */
class CompactObjectTest {
    private static Value convert(String json) throws Exception {
        return Json.fromJson(Json.MAPPER.readTree(json));
    }

    @Test
    void compactAndHashObjectsAreEqualComparableAndHashAlike() throws Exception {
        Value small = convert("{\"b\": 1, \"a\": [true, null], \"c\": {\"x\": \"y\"}}");
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
        m.put(Value.str("a"), Value.arr(Value.bool(true), Value.NULL));
        m.put(Value.str("c"), Value.obj(new LinkedHashMap<>(java.util.Map.of(Value.str("x"), Value.str("y")))));
        m.put(Value.str("b"), Value.num(1));
        Value hashed = Value.obj(m);
        assertThat(small).isEqualTo(hashed);
        assertThat(hashed).isEqualTo(small);
        assertThat(small.hashCode()).isEqualTo(hashed.hashCode());
        assertThat(Value.compare(small, hashed)).isZero();
        assertThat(((Value.Obj) small).get(Value.str("c"))).isEqualTo(convert("{\"x\": \"y\"}"));
        assertThat(((Value.Obj) small).get(Value.str("zz"))).isNull();
        assertThat(small.toString()).isEqualTo(hashed.toString());
    }

    @Test
    void insertionOrderIsKeptAndVisitStops() throws Exception {
        Value.Obj o = (Value.Obj) convert("{\"z\": 1, \"y\": 2, \"x\": 3}");
        assertThat(o.map().keySet()).containsExactly(Value.str("z"), Value.str("y"), Value.str("x"));
        List<Value> seen = new ArrayList<>();
        boolean stopped = o.visit((k, v) -> {
            seen.add(k);
            return k.equals(Value.str("y"));
        });
        assertThat(stopped).isTrue();
        assertThat(seen).containsExactly(Value.str("z"), Value.str("y"));
    }

    @Test
    void objectsOfTheSameShapeShareKeysButNotValues() throws Exception {
        Value.Arr a = (Value.Arr) convert("[{\"n\": 1, \"t\": \"a\"}, {\"n\": 2, \"t\": \"b\"}, {\"t\": 3, \"n\": 4}]");
        assertThat(((Value.Obj) a.get(0)).get(Value.str("n"))).isEqualTo(Value.num(1));
        assertThat(((Value.Obj) a.get(1)).get(Value.str("n"))).isEqualTo(Value.num(2));
        assertThat(((Value.Obj) a.get(2)).get(Value.str("n"))).isEqualTo(Value.num(4));
        assertThat(((Value.Obj) a.get(2)).map().keySet()).containsExactly(Value.str("t"), Value.str("n"));
        JsonNode back = Json.toJson(a);
        assertThat(back.toString()).isEqualTo("[{\"n\":1,\"t\":\"a\"},{\"n\":2,\"t\":\"b\"},{\"n\":4,\"t\":3}]");
    }

    @Test
    void largeObjectsStayHashed() throws Exception {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        Value.Obj o = (Value.Obj) convert(sb.append('}').toString());
        assertThat(o.size()).isEqualTo(40);
        assertThat(o.get(Value.str("k39"))).isEqualTo(Value.num(39));
    }
}
