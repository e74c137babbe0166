package dev.posture.rego.ast;

import java.util.Set;

/** Every variable name occurring in a term or expression, comprehension and {@code every} bodies included. */
public final class Vars {
    private Vars() {
    }

    public static void of(Term t, Set<String> out) {
        if (t instanceof Term.Var v) {
            out.add(v.name);
        } else if (t instanceof Term.Ref r) {
            of(r.head, out);
            r.path.forEach(p -> of(p, out));
        } else if (t instanceof Term.Call c) {
            c.args.forEach(a -> of(a, out));
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(i -> of(i, out));
        } else if (t instanceof Term.SetT s) {
            s.items.forEach(i -> of(i, out));
        } else if (t instanceof Term.ObjectT o) {
            o.keys.forEach(i -> of(i, out));
            o.values.forEach(i -> of(i, out));
        } else if (t instanceof Term.Compr c) {
            of(c.key, out);
            of(c.head, out);
            c.body.forEach(e -> of(e, out));
        }
    }

    public static void of(Expr e, Set<String> out) {
        of(e.term, out);
        e.vars.forEach(v -> out.add(v.name));
        of(e.key, out);
        of(e.value, out);
        of(e.domain, out);
        e.body.forEach(b -> of(b, out));
        e.withs.forEach(w -> of(w.value(), out));
    }
}
