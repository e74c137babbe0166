package dev.posture.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CompactMapTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void behavesLikeALinkedHashMapSmallAndLarge() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            CompactMap c = new CompactMap();
            Map<String, JsonNode> m = new LinkedHashMap<>();
            for (int op = 0; op < 60; op++) {
                String k = "k" + r.nextInt(20);
                switch (r.nextInt(4)) {
                    case 0, 1 -> assertThat(c.put(k, F.numberNode(op))).isEqualTo(m.put(k, F.numberNode(op)));
                    case 2 -> assertThat(c.remove(k)).isEqualTo(m.remove(k));
                    default -> {
                        Iterator<Map.Entry<String, JsonNode>> ci = c.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> mi = m.entrySet().iterator();
                        while (mi.hasNext()) {
                            Map.Entry<String, JsonNode> e = mi.next();
                            assertThat(ci.next().getKey()).isEqualTo(e.getKey());
                            if (e.getKey().equals(k)) {
                                mi.remove();
                                ci.remove();
                            }
                        }
                        assertThat(ci.hasNext()).isFalse();
                    }
                }
                assertThat(c.get(k)).isEqualTo(m.get(k));
                assertThat(c.size()).isEqualTo(m.size());
                assertThat(new ArrayList<>(c.keySet())).isEqualTo(new ArrayList<>(m.keySet()));
            }
        }
    }

    @Test
    void objectNodesOverItEqualPlainOnes() {
        ObjectNode compact = new ObjectNode(F, new CompactMap());
        ObjectNode plain = F.objectNode();
        for (ObjectNode o : List.of(compact, plain)) {
            o.put("b", 1).put("a", "x").putArray("c").add(true);
            o.replace("b", F.numberNode(2));
        }
        assertThat(compact).isEqualTo(plain);
        assertThat(plain).isEqualTo(compact);
        assertThat(compact.toString()).isEqualTo("{\"b\":2,\"a\":\"x\",\"c\":[true]}");
    }
}
