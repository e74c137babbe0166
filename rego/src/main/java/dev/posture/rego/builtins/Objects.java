package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.typeErr;

import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Object builtins, json.filter/remove/patch. */
final class Objects {
    private Objects() {
    }

    static Set<Value> keySet(Value[] a, int i) {
        Value v = a[i];
        if (v instanceof Value.Arr arr) {
            return new LinkedHashSet<>(arr.items());
        }
        if (v instanceof Value.SetV s) {
            return new LinkedHashSet<>(s.items());
        }
        if (v instanceof Value.Obj o) {
            return new LinkedHashSet<>(o.map().keySet());
        }
        throw typeErr(i, "one of {array, object, set}", v);
    }

    static void register(Registry r) {
        r.add("object.get", 3, (a, c) -> {
            Value.Obj o = Args.obj(a, 0);
            if (a[1] instanceof Value.Arr path) {
                Value cur = o;
                for (Value k : path.items()) {
                    cur = Core.lookup(cur, k);
                    if (cur == null) {
                        return a[2];
                    }
                }
                return cur;
            }
            Value v = o.get(a[1]);
            return v == null ? a[2] : v;
        });
        r.add("object.keys", 1, (a, c) -> Value.set(new ArrayList<>(Args.obj(a, 0).map().keySet())));
        r.add("object.remove", 2, (a, c) -> {
            Value.Obj o = Args.obj(a, 0);
            Set<Value> ks = keySet(a, 1);
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>(o.map());
            m.keySet().removeAll(ks);
            return Value.obj(m);
        });
        r.add("object.filter", 2, (a, c) -> {
            Value.Obj o = Args.obj(a, 0);
            Set<Value> ks = keySet(a, 1);
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
            for (Map.Entry<Value, Value> e : o.map().entrySet()) {
                if (ks.contains(e.getKey())) {
                    m.put(e.getKey(), e.getValue());
                }
            }
            return Value.obj(m);
        });
        r.add("object.union", 2, (a, c) -> union(Args.obj(a, 0), Args.obj(a, 1)));
        r.add("object.union_n", 1, (a, c) -> {
            Value acc = Value.EMPTY_OBJECT;
            for (Value v : Args.arr(a, 0).items()) {
                if (!(v instanceof Value.Obj o)) {
                    throw BuiltinError.type("operand 1 must be array of objects but got array containing " + v.typeName());
                }
                acc = union((Value.Obj) acc, o);
            }
            return acc;
        });
        r.add("object.subset", 2, (a, c) -> {
            Value sup = a[0];
            Value sub = a[1];
            if (!(sup instanceof Value.Obj || sup instanceof Value.SetV || sup instanceof Value.Arr)) {
                throw typeErr(0, "one of {object, set, array}", sup);
            }
            if (!(sub instanceof Value.Obj || sub instanceof Value.SetV || sub instanceof Value.Arr)) {
                throw typeErr(1, "one of {object, set, array}", sub);
            }
            if (sup instanceof Value.Obj && !(sub instanceof Value.Obj)) {
                throw BuiltinError.type("both arguments to object.subset must be of the same type or array and set");
            }
            return Value.bool(subset(sup, sub));
        });
        r.add("json.filter", 2, (a, c) -> {
            Value.Obj o = Args.obj(a, 0);
            List<List<Value>> paths = paths(a, 1);
            return filter(o, paths);
        });
        r.add("json.remove", 2, (a, c) -> {
            Value.Obj o = Args.obj(a, 0);
            List<List<Value>> paths = paths(a, 1);
            Value cur = o;
            for (List<Value> p : paths) {
                cur = remove(cur, p, 0);
            }
            return cur;
        });
        r.add("json.patch", 2, (a, c) -> JsonPatch.apply(a[0], Args.arr(a, 1)));
    }

    static Value.Obj union(Value.Obj x, Value.Obj y) {
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>(x.map());
        for (Map.Entry<Value, Value> e : y.map().entrySet()) {
            Value ex = m.get(e.getKey());
            if (ex instanceof Value.Obj eo && e.getValue() instanceof Value.Obj no) {
                m.put(e.getKey(), union(eo, no));
            } else {
                m.put(e.getKey(), e.getValue());
            }
        }
        return Value.obj(m);
    }

    static boolean subset(Value sup, Value sub) {
        if (sup instanceof Value.Obj so && sub instanceof Value.Obj bo) {
            for (Map.Entry<Value, Value> e : bo.map().entrySet()) {
                Value sv = so.get(e.getKey());
                if (sv == null) {
                    return false;
                }
                if (sv instanceof Value.Obj && e.getValue() instanceof Value.Obj || sv instanceof Value.SetV && e.getValue() instanceof Value.SetV
                        || sv instanceof Value.Arr && e.getValue() instanceof Value.Arr) {
                    if (!subset(sv, e.getValue())) {
                        return false;
                    }
                } else if (!sv.equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (sup instanceof Value.SetV ss && sub instanceof Value.SetV bs) {
            return ss.items().containsAll(bs.items());
        }
        if (sup instanceof Value.SetV ss && sub instanceof Value.Arr ba) {
            return ss.items().containsAll(ba.items());
        }
        if (sup instanceof Value.Arr sa && sub instanceof Value.SetV bs) {
            return sa.items().containsAll(bs.items());
        }
        if (sup instanceof Value.Arr sa && sub instanceof Value.Arr ba) {
            // contiguous subsequence
            List<Value> x = sa.items();
            List<Value> y = ba.items();
            if (y.isEmpty()) {
                return true;
            }
            for (int i = 0; i + y.size() <= x.size(); i++) {
                if (x.subList(i, i + y.size()).equals(y)) {
                    return true;
                }
            }
            return false;
        }
        return sup.equals(sub);
    }

    static List<List<Value>> paths(Value[] a, int i) {
        List<Value> items;
        if (a[i] instanceof Value.Arr arr) {
            items = arr.items();
        } else if (a[i] instanceof Value.SetV s) {
            items = s.sorted();
        } else {
            throw typeErr(i, "one of {array, set}", a[i]);
        }
        List<List<Value>> out = new ArrayList<>();
        for (Value v : items) {
            if (v instanceof Value.Str s) {
                List<Value> p = new ArrayList<>();
                String t = s.value.startsWith("/") ? s.value.substring(1) : s.value;
                if (!t.isEmpty()) {
                    for (String seg : t.split("/", -1)) {
                        p.add(Value.str(seg.replace("~1", "/").replace("~0", "~")));
                    }
                }
                out.add(p);
            } else if (v instanceof Value.Arr pa) {
                out.add(pa.items());
            } else {
                throw BuiltinError.type("operand " + (i + 1) + " must be array of strings or arrays");
            }
        }
        return out;
    }

    private static Value filter(Value v, List<List<Value>> paths) {
        for (List<Value> p : paths) {
            if (p.isEmpty()) {
                return v;
            }
        }
        if (v instanceof Value.Obj o) {
            LinkedHashMap<Value, List<List<Value>>> by = new LinkedHashMap<>();
            for (List<Value> p : paths) {
                by.computeIfAbsent(p.get(0), k -> new ArrayList<>()).add(p.subList(1, p.size()));
            }
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
            for (Map.Entry<Value, List<List<Value>>> e : by.entrySet()) {
                Value child = o.get(e.getKey());
                if (child != null) {
                    m.put(e.getKey(), filter(child, e.getValue()));
                }
            }
            return Value.obj(m);
        }
        if (v instanceof Value.Arr a) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                List<List<Value>> sub = new ArrayList<>();
                for (List<Value> p : paths) {
                    if (p.get(0).equals(Value.num(i)) || p.get(0).equals(Value.str(Integer.toString(i)))) {
                        sub.add(p.subList(1, p.size()));
                    }
                }
                if (!sub.isEmpty()) {
                    out.add(filter(a.get(i), sub));
                }
            }
            return Value.arr(out);
        }
        return v;
    }

    private static Value remove(Value v, List<Value> p, int i) {
        if (i >= p.size()) {
            return null;
        }
        if (v instanceof Value.Obj o) {
            Value k = p.get(i);
            Value child = o.get(k);
            if (child == null) {
                return v;
            }
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>(o.map());
            Value nc = remove(child, p, i + 1);
            if (nc == null) {
                m.remove(k);
            } else {
                m.put(k, nc);
            }
            return Value.obj(m);
        }
        if (v instanceof Value.Arr a) {
            Value k = p.get(i);
            int idx = k instanceof Value.Num n && n.intValueExact() != null ? n.intValueExact()
                    : k instanceof Value.Str s && s.value.matches("\\d+") ? Integer.parseInt(s.value) : -1;
            if (idx < 0 || idx >= a.size()) {
                return v;
            }
            List<Value> out = new ArrayList<>(a.items());
            Value nc = remove(a.get(idx), p, i + 1);
            if (nc == null) {
                out.remove(idx);
            } else {
                out.set(idx, nc);
            }
            return Value.arr(out);
        }
        return v;
    }
}
