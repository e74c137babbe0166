package dev.posture.rego.value;

import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Term;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Converts constant (ground) terms to values. */
public final class Terms {
    private Terms() {
    }

    public static Value toValue(Term t) {
        if (t instanceof Term.Scalar s) {
            return s.value;
        }
        if (t instanceof Term.ArrayT a) {
            List<Value> l = new ArrayList<>();
            for (Term i : a.items) {
                l.add(toValue(i));
            }
            return Value.arr(l);
        }
        if (t instanceof Term.SetT a) {
            List<Value> l = new ArrayList<>();
            for (Term i : a.items) {
                l.add(toValue(i));
            }
            return Value.set(l);
        }
        if (t instanceof Term.ObjectT o) {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
            for (int i = 0; i < o.keys.size(); i++) {
                m.put(toValue(o.keys.get(i)), toValue(o.values.get(i)));
            }
            return Value.obj(m);
        }
        throw new RegoError("rego_type_error", t.loc, "term is not ground: " + t);
    }
}
