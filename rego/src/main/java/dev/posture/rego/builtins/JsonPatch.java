package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** RFC 6902 JSON patch over Rego values (objects, arrays, sets). Undefined (null) when a patch fails. */
final class JsonPatch {
    private JsonPatch() {
    }

    static Value apply(Value doc, Value.Arr ops) {
        Value cur = doc;
        for (Value op : ops.items()) {
            if (!(op instanceof Value.Obj o)) {
                throw BuiltinError.type("operand 2 must be array of objects");
            }
            Value opv = o.get("op");
            Value pathv = o.get("path");
            if (!(opv instanceof Value.Str os) || pathv == null) {
                return null;
            }
            List<Value> path = path(pathv);
            if (path == null) {
                return null;
            }
            switch (os.value) {
                case "add" -> cur = add(cur, path, 0, o.get("value"));
                case "remove" -> cur = remove(cur, path, 0);
                case "replace" -> {
                    cur = remove(cur, path, 0);
                    cur = cur == null ? null : add(cur, path, 0, o.get("value"));
                }
                case "move", "copy" -> {
                    List<Value> from = path(o.get("from"));
                    if (from == null) {
                        return null;
                    }
                    Value v = get(cur, from);
                    if (v == null) {
                        return null;
                    }
                    if (os.value.equals("move")) {
                        cur = remove(cur, from, 0);
                    }
                    cur = cur == null ? null : add(cur, path, 0, v);
                }
                case "test" -> {
                    Value v = get(cur, path);
                    if (v == null || !v.equals(o.get("value"))) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    static List<Value> path(Value p) {
        if (p instanceof Value.Arr a) {
            return a.items();
        }
        if (!(p instanceof Value.Str s)) {
            return null;
        }
        List<Value> out = new ArrayList<>();
        if (s.value.isEmpty() || s.value.equals("/")) {
            return out;
        }
        String t = s.value.startsWith("/") ? s.value.substring(1) : s.value;
        for (String seg : t.split("/", -1)) {
            out.add(Value.str(seg.replace("~1", "/").replace("~0", "~")));
        }
        return out;
    }

    static Value get(Value v, List<Value> path) {
        Value cur = v;
        for (Value k : path) {
            cur = child(cur, k);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    static Value child(Value v, Value k) {
        if (v instanceof Value.Obj o) {
            return o.get(k);
        }
        if (v instanceof Value.Arr a) {
            int i = idx(k, a.size());
            return i >= 0 && i < a.size() ? a.get(i) : null;
        }
        if (v instanceof Value.SetV s) {
            return s.contains(k) ? k : null;
        }
        return null;
    }

    static int idx(Value k, int size) {
        if (k instanceof Value.Num n && n.intValueExact() != null) {
            return n.intValueExact();
        }
        if (k instanceof Value.Str s) {
            if (s.value.equals("-")) {
                return size;
            }
            if (s.value.matches("0|[1-9][0-9]*")) {
                return Integer.parseInt(s.value);
            }
        }
        return -1;
    }

    static Value add(Value v, List<Value> path, int i, Value val) {
        if (val == null) {
            return null;
        }
        if (i == path.size()) {
            return val;
        }
        Value k = path.get(i);
        boolean last = i == path.size() - 1;
        if (v instanceof Value.Obj o) {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>(o.map());
            if (last) {
                m.put(k, val);
            } else {
                Value c = o.get(k);
                if (c == null) {
                    return null;
                }
                Value nc = add(c, path, i + 1, val);
                if (nc == null) {
                    return null;
                }
                m.put(k, nc);
            }
            return Value.obj(m);
        }
        if (v instanceof Value.Arr a) {
            int x = idx(k, a.size());
            List<Value> l = new ArrayList<>(a.items());
            if (last) {
                if (x < 0 || x > a.size()) {
                    return null;
                }
                l.add(x, val);
            } else {
                if (x < 0 || x >= a.size()) {
                    return null;
                }
                Value nc = add(a.get(x), path, i + 1, val);
                if (nc == null) {
                    return null;
                }
                l.set(x, nc);
            }
            return Value.arr(l);
        }
        if (v instanceof Value.SetV s && last) {
            java.util.LinkedHashSet<Value> n = new java.util.LinkedHashSet<>(s.items());
            n.add(val);
            return new Value.SetV(n);
        }
        return null;
    }

    static Value remove(Value v, List<Value> path, int i) {
        if (path.isEmpty()) {
            return null;
        }
        Value k = path.get(i);
        boolean last = i == path.size() - 1;
        if (v instanceof Value.Obj o) {
            Value c = o.get(k);
            if (c == null) {
                return null;
            }
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>(o.map());
            if (last) {
                m.remove(k);
            } else {
                Value nc = remove(c, path, i + 1);
                if (nc == null) {
                    return null;
                }
                m.put(k, nc);
            }
            return Value.obj(m);
        }
        if (v instanceof Value.Arr a) {
            int x = idx(k, a.size());
            if (x < 0 || x >= a.size()) {
                return null;
            }
            List<Value> l = new ArrayList<>(a.items());
            if (last) {
                l.remove(x);
            } else {
                Value nc = remove(a.get(x), path, i + 1);
                if (nc == null) {
                    return null;
                }
                l.set(x, nc);
            }
            return Value.arr(l);
        }
        if (v instanceof Value.SetV s && last) {
            if (!s.contains(k)) {
                return null;
            }
            java.util.LinkedHashSet<Value> n = new java.util.LinkedHashSet<>(s.items());
            n.remove(k);
            return new Value.SetV(n);
        }
        return null;
    }
}
