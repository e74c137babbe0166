package dev.posture.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversion between Jackson trees and Rego values (input conversion is iterative, no recursion). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    public static Value scalar(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Value.NULL;
        }
        if (n.isBoolean()) {
            return Value.bool(n.booleanValue());
        }
        if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                return Value.num(n.longValue());
            }
            return Value.Num.of(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            return Value.num(n.decimalValue());
        }
        if (n.isTextual()) {
            return Value.str(n.textValue());
        }
        if (n.isBinary() || n.isPojo()) {
            return Value.str(n.asText());
        }
        return null;
    }

    private static final class Frame {
        final JsonNode node;
        final Iterator<Map.Entry<String, JsonNode>> fields;
        final Iterator<JsonNode> elems;
        final List<Value> items;
        final LinkedHashMap<Value, Value> map;
        String pendingKey;

        Frame(JsonNode n) {
            node = n;
            // sized up front: the input of a large scan is converted once per target and is most of its live data
            boolean obj = n.isObject();
            fields = obj ? n.properties().iterator() : null;
            elems = obj ? null : n.elements();
            items = obj ? null : new ArrayList<>(n.size());
            map = obj ? new LinkedHashMap<>(Math.max(4, (int) (n.size() / 0.75f) + 1)) : null;
        }
    }

    /** Converts a JSON tree to a value without recursion. */
    public static Value fromJson(JsonNode root) {
        if (root == null) {
            return null;
        }
        Value s = scalar(root);
        if (s != null) {
            return s;
        }
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root));
        Value result = null;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            JsonNode child = null;
            if (f.elems != null) {
                if (f.elems.hasNext()) {
                    child = f.elems.next();
                }
            } else if (f.fields.hasNext()) {
                Map.Entry<String, JsonNode> e = f.fields.next();
                f.pendingKey = e.getKey();
                child = e.getValue();
            }
            if (child == null) {
                stack.pop();
                Value done = f.elems != null ? new Value.Arr(f.items) : new Value.Obj(f.map);
                if (stack.isEmpty()) {
                    result = done;
                } else {
                    add(stack.peek(), done);
                }
                continue;
            }
            Value cs = scalar(child);
            if (cs != null) {
                add(f, cs);
            } else {
                stack.push(new Frame(child));
            }
        }
        return result;
    }

    private static void add(Frame f, Value v) {
        if (f.elems != null) {
            f.items.add(v);
        } else {
            f.map.put(Value.str(f.pendingKey), v);
        }
    }

    /** Converts a value to JSON: sets become sorted arrays, non-string keys their JSON text. */
    public static JsonNode toJson(Value v) {
        if (v instanceof Value.Null) {
            return F.nullNode();
        } else if (v instanceof Value.Bool b) {
            return F.booleanNode(b.value);
        } else if (v instanceof Value.Num n) {
            if (n.isLong()) {
                return F.numberNode(n.longValue());
            }
            BigDecimal bd = n.big();
            if (bd.scale() <= 0 && bd.scale() >= -64) {
                return F.numberNode(bd.toBigInteger());
            }
            return F.numberNode(bd);
        } else if (v instanceof Value.Str s) {
            return F.textNode(s.value);
        } else if (v instanceof Value.Arr a) {
            ArrayNode an = F.arrayNode();
            for (Value i : a.items()) {
                an.add(toJson(i));
            }
            return an;
        } else if (v instanceof Value.SetV s) {
            ArrayNode an = F.arrayNode();
            for (Value i : s.sorted()) {
                an.add(toJson(i));
            }
            return an;
        } else {
            Value.Obj o = (Value.Obj) v;
            ObjectNode on = F.objectNode();
            for (Value k : o.sortedKeys()) {
                String key = k instanceof Value.Str ks ? ks.value : ValueText.json(k);
                on.set(key, toJson(o.get(k)));
            }
            return on;
        }
    }

    public static Value parse(String json) {
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
