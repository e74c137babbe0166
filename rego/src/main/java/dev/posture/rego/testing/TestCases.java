package dev.posture.rego.testing;

import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;

/**
 * Parameterized tests, as {@code opa test} runs them: a test rule with variable keys ({@code test_sum[note] if ...})
 * builds an object of test cases. Each case whose key is bound is recorded by a call to {@code internal.test_case}
 * injected right after the body binds the key's variables, so a case whose body later fails is reported as failed
 * rather than silently missing; every leaf value of the object must be {@code true}.
 */
final class TestCases {
    static final String RECORDER = "internal.test_case";

    /** One case: its key path and whether it failed. */
    record Case(List<String> path, boolean fail) {
    }

    private TestCases() {
    }

    /** A test rule whose head has a non-ground key: its document is an object of test cases. */
    static boolean isParameterized(Rule r) {
        if (r.kind != Rule.Kind.VALUE || r.headPath.size() < 2) {
            return false;
        }
        for (Term t : r.headPath.subList(1, r.headPath.size())) {
            if (!(t instanceof Term.Scalar)) {
                return true;
            }
        }
        return false;
    }

    /** Injects the recorder call into every parameterized test rule. */
    static void inject(List<Module> modules) {
        for (Module m : modules) {
            for (ListIterator<Rule> it = m.rules.listIterator(); it.hasNext();) {
                Rule r = it.next();
                if (r.name().startsWith(TestRunner.TEST_PREFIX) && isParameterized(r)) {
                    Rule injected = r.with(r.headPath, r.args, r.value, inject(r), r.elseRule);
                    it.set(injected);
                    m.annotations.replaceAll(a -> a.rule() == r ? new Module.Annotation(a.scope(), a.data(), a.loc(), injected) : a);
                }
            }
        }
    }

    private static List<Expr> inject(Rule r) {
        List<Term> keys = r.headPath.subList(1, r.headPath.size());
        Set<String> need = new HashSet<>();
        keys.forEach(k -> vars(k, need));
        int at = 0;
        for (int i = 0; i < r.body.size() && !need.isEmpty(); i++) {
            Set<String> seen = new HashSet<>();
            vars(r.body.get(i), seen);
            if (need.removeAll(seen)) {
                at = i + 1;
            }
        }
        if (!need.isEmpty()) {
            at = r.body.size();
        }
        Term.Call call = new Term.Call(r.loc, new Term.Ref(r.loc, new Term.Var(r.loc, "internal"),
                List.of(new Term.Scalar(r.loc, Value.str("test_case")))), List.of(new Term.ArrayT(r.loc, keys)));
        List<Expr> body = new ArrayList<>(r.body);
        body.add(at, Expr.term(r.loc, false, call, List.of()));
        return body;
    }

    // Not ast.Vars: this runs before compilation, when comprehension locals are not yet renamed, so it must not
    // descend into comprehension or every bodies (a local `x` there is not the test key `x`).
    private static void vars(Expr e, Set<String> out) {
        switch (e.kind) {
            case TERM -> vars(e.term, out);
            case SOME_DECL -> e.vars.forEach(v -> out.add(v.name));
            case SOME_IN, EVERY -> {
                vars(e.key, out);
                vars(e.value, out);
                vars(e.domain, out);
            }
        }
    }

    private static void vars(Term t, Set<String> out) {
        if (t instanceof Term.Var v) {
            out.add(v.name);
        } else if (t instanceof Term.Ref r) {
            vars(r.head, out);
            r.path.forEach(p -> vars(p, out));
        } else if (t instanceof Term.Call c) {
            c.args.forEach(a -> vars(a, out));
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(i -> vars(i, out));
        } else if (t instanceof Term.SetT s) {
            s.items.forEach(i -> vars(i, out));
        } else if (t instanceof Term.ObjectT o) {
            o.keys.forEach(i -> vars(i, out));
            o.values.forEach(i -> vars(i, out));
        }
    }

    /**
     * The leaf cases of a parameterized test's value: a leaf passes when it is {@code true}; a recorded case whose
     * key is missing from the value failed. Sorted by key path.
     */
    static List<Case> cases(Value v, List<Value> recorded) {
        Map<List<String>, Boolean> out = new LinkedHashMap<>();
        leaves(List.of(), v, out);
        for (Value rec : recorded) {
            if (rec instanceof Value.Arr a) {
                List<String> path = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    path.add(key(a.get(i)));
                }
                if (out.keySet().stream().noneMatch(p -> startsWith(p, path))) {
                    out.put(path, true);
                }
            }
        }
        List<Case> cases = new ArrayList<>();
        out.forEach((p, fail) -> cases.add(new Case(p, fail)));
        cases.sort((x, y) -> String.join("\u0000", x.path()).compareTo(String.join("\u0000", y.path())));
        return cases;
    }

    private static void leaves(List<String> path, Value v, Map<List<String>, Boolean> out) {
        if (v instanceof Value.Obj o && (path.isEmpty() || o.size() > 0)) {
            for (Value k : o.sortedKeys()) {
                List<String> p = new ArrayList<>(path);
                p.add(key(k));
                leaves(p, o.get(k), out);
            }
        } else if (!path.isEmpty()) {
            out.put(path, !v.equals(Value.bool(true)) && !(v instanceof Value.Null));
        }
    }

    private static boolean startsWith(List<String> p, List<String> prefix) {
        return p.size() >= prefix.size() && p.subList(0, prefix.size()).equals(prefix);
    }

    private static String key(Value k) {
        return k instanceof Value.Str s ? s.value : k.toString();
    }
}
