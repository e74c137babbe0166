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
        final LinkedHashMap<Value, Value> map; // objects of more than SmallMap.MAX entries
        final Value[] keys; // smaller objects
        final Value[] vals;
        int n;
        String pendingKey;

        Frame(JsonNode node) {
            this.node = node;
            // sized up front: the input of a large scan is converted once per target and is most of its live data
            boolean obj = node.isObject();
            int size = node.size();
            boolean small = obj && size <= SmallMap.MAX;
            fields = obj ? node.properties().iterator() : null;
            elems = obj ? null : node.elements();
            items = obj ? null : new ArrayList<>(size);
            map = obj && !small ? new LinkedHashMap<>((int) (size / 0.75f) + 1) : null;
            keys = small ? new Value[size] : null;
            vals = small ? new Value[size] : null;
        }

        Value done(Value[][] shapes) {
            if (elems != null) {
                return new Value.Arr(items);
            }
            if (map != null) {
                return new Value.Obj(map);
            }
            return new Value.Obj(new SmallMap(shared(shapes, keys, n), n == vals.length ? vals : java.util.Arrays.copyOf(vals, n)));
        }
    }

    /**
     * The key array of the previous object of the same size when it has the same keys (arrays of alike objects
     * then share one; Jackson interns field names, so identity decides).
     */
    private static Value[] shared(Value[][] shapes, Value[] keys, int n) {
        Value[] prev = shapes[n];
        if (prev != null) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = ((Value.Str) prev[i]).value == ((Value.Str) keys[i]).value;
            }
            if (same) {
                return prev;
            }
        }
        Value[] ks = n == keys.length ? keys : java.util.Arrays.copyOf(keys, n);
        shapes[n] = ks;
        return ks;
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
        Value[][] shapes = new Value[SmallMap.MAX + 1][];
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
                Value done = f.done(shapes);
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
        } else if (f.map != null) {
            f.map.put(Value.str(f.pendingKey), v);
        } else {
            f.keys[f.n] = Value.str(f.pendingKey);
            f.vals[f.n++] = v;
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
