package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.typeErr;

import dev.posture.rego.value.Value;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builtins OPA deprecated before 1.0 and still offers to Rego v0 modules (the compiler refuses them in v1 modules):
 * the {@code cast_*} family, {@code set_diff} and {@code net.cidr_overlap}.
 */
final class Deprecated {
    private Deprecated() {
    }

    static void register(Registry r) {
        r.add("cast_array", 1, (a, c) -> {
            if (a[0] instanceof Value.Arr) {
                return a[0];
            }
            if (a[0] instanceof Value.SetV s) {
                return Value.arr(s.sorted());
            }
            throw typeErr(0, "one of {array, set}", a[0]);
        });
        r.add("cast_set", 1, (a, c) -> {
            if (a[0] instanceof Value.SetV) {
                return a[0];
            }
            if (a[0] instanceof Value.Arr arr) {
                return Value.set(arr.items());
            }
            throw typeErr(0, "one of {array, set}", a[0]);
        });
        r.add("cast_string", 1, (a, c) -> identity(a[0], Value.Str.class, "string"));
        r.add("cast_boolean", 1, (a, c) -> identity(a[0], Value.Bool.class, "boolean"));
        r.add("cast_null", 1, (a, c) -> identity(a[0], Value.Null.class, "null"));
        r.add("cast_object", 1, (a, c) -> identity(a[0], Value.Obj.class, "object"));
        r.add("set_diff", 2, (a, c) -> {
            if (!(a[0] instanceof Value.SetV x)) {
                throw typeErr(0, "set", a[0]);
            }
            if (!(a[1] instanceof Value.SetV y)) {
                throw typeErr(1, "set", a[1]);
            }
            Set<Value> out = new LinkedHashSet<>(x.items());
            out.removeAll(y.items());
            return Value.set(out);
        });
        // the pre-1.0 name of net.cidr_contains
        Builtin contains = r.get("net.cidr_contains").fn();
        r.add("net.cidr_overlap", 2, contains);
    }

    private static Value identity(Value v, Class<? extends Value> type, String name) {
        if (!type.isInstance(v)) {
            throw typeErr(0, name, v);
        }
        return v;
    }
}
