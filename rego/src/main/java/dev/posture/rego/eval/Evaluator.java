package dev.posture.rego.eval;

import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Location;
import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Term;
import dev.posture.rego.ast.Vars;
import dev.posture.rego.builtins.BuiltinContext;
import dev.posture.rego.builtins.BuiltinError;
import dev.posture.rego.builtins.Registry;
import dev.posture.rego.compiler.CRule;
import dev.posture.rego.compiler.CompiledPolicy;
import dev.posture.rego.compiler.Compiler;
import dev.posture.rego.compiler.RuleNode;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import dev.posture.rego.value.ValueText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Top-down evaluator with backtracking (continuation passing). One instance per evaluation; not thread-safe. */
public final class Evaluator {
    /** Continuation: returns true to stop the search. */
    public interface K {
        boolean run();
    }

    /** Value continuation: returns true to stop the search. */
    public interface VK {
        boolean run(Value v);
    }

    /** Evaluation options. */
    public static final class Options {
        public boolean strict;
        public long maxSteps = Long.MAX_VALUE;
        public long deadlineNanos = Long.MAX_VALUE;
        /** Memory budget in bytes of counted allocation (see {@link BuiltinContext#charge}); Long.MAX_VALUE = none. */
        public long maxMemory = Long.MAX_VALUE;
        public Consumer<String> print = s -> System.err.println(s);
        /** Told of each unexpected exception of a builtin before it becomes that expression's builtin error (null: none). */
        public java.util.function.BiConsumer<String, Throwable> builtinFailure;
        public int maxDepth = 2000;
        public Value runtime = Value.EMPTY_OBJECT;
        public Registry registry = Registry.REGISTRY;
        /** Cross-evaluation cache for constant rule nodes (null = disabled). */
        public Map<Object, Object> shared;
    }

    private static final Object UNDEF = new Object();

    static final class Overlay {
        Value value;
        final Map<Value, Overlay> children = new LinkedHashMap<>();
    }

    static final class Ctx {
        Value input;
        Overlay overlay;
        Map<String, Object> mocks = Map.of();
        final Map<RuleNode, Object> ruleCache = new HashMap<>();
        final Map<RuleNode, Object> extentCache = new HashMap<>();
        final Map<List<Object>, Object> funcCache = new HashMap<>();
        final Map<Object, Object> comprCache = new HashMap<>();
    }

    private final CompiledPolicy pol;
    private final Value baseData;
    private final Options opts;
    private final BuiltinContext bctx;
    private Ctx ctx;
    private final Ctx rootCtx;
    private long steps;
    private int depth;
    private CRule currentRule;
    private final Registry reg;

    public Evaluator(CompiledPolicy pol, Value baseData, Value input, Options opts) {
        this.pol = pol;
        this.baseData = baseData == null ? Value.EMPTY_OBJECT : baseData;
        this.opts = opts;
        this.reg = opts.registry;
        this.bctx = new BuiltinContext(System.currentTimeMillis() * 1_000_000L, opts.runtime, opts.deadlineNanos, opts.maxMemory);
        this.ctx = new Ctx();
        this.ctx.input = input;
        this.rootCtx = ctx;
    }

    // ================================================================== query entry

    /** Evaluates a compiled query body; calls {@code onResult} with the bindings for each solution. */
    public void evalQuery(List<Expr> body, Consumer<Map<String, Value>> onResult) {
        Bindings b = new Bindings();
        evalBody(body, 0, b, () -> {
            onResult.accept(b.snapshot());
            return false;
        });
    }

    // ================================================================== bodies & expressions

    private void tick() {
        long s = ++steps;
        if (s > opts.maxSteps) {
            throw new RegoError("eval_cancel_error", null, "evaluation step budget exceeded (" + opts.maxSteps + " steps)");
        }
        if ((s & 1023) == 0 && System.nanoTime() > opts.deadlineNanos) {
            throw new RegoError("eval_cancel_error", null, "evaluation deadline exceeded");
        }
    }

    boolean evalBody(List<Expr> body, int i, Bindings b, K k) {
        int mark = b.mark();
        try {
            while (true) {
                if (i == body.size()) {
                    return k.run();
                }
                tick();
                Expr e = body.get(i);
                int d = directExpr(e, b);
                if (d == D_FAIL) {
                    return false;
                }
                if (d == D_PASS) {
                    i++;
                    continue;
                }
                int ni = i + 1;
                K next = ni == body.size() ? k : () -> evalBody(body, ni, b, k);
                if (!e.withs.isEmpty()) {
                    return evalWith(e, b, next);
                }
                return evalExpr(e, b, next);
            }
        } finally {
            b.undo(mark);
        }
    }

    private boolean evalExpr(Expr e, Bindings b, K k) {
        switch (e.kind) {
            case SOME_DECL:
                return k.run();
            case SOME_IN:
                return evalTerm(e.domain, b, coll -> iterate(coll, (key, val) -> {
                    tick();
                    return unifyValue(e.value, val, b, e.key == null ? k : () -> unifyValue(e.key, key, b, k));
                }));
            case EVERY:
                return evalTerm(e.domain, b, coll -> {
                    if (!(coll instanceof Value.Arr || coll instanceof Value.Obj || coll instanceof Value.SetV)) {
                        return false;
                    }
                    K body = () -> evalBody(e.body, 0, b, () -> true);
                    boolean failed = iterate(coll, (key, val) -> {
                        boolean ok = e.key == null ? unifyValue(e.value, val, b, body)
                                : unifyValue(e.key, key, b, () -> unifyValue(e.value, val, b, body));
                        return !ok;
                    });
                    return failed ? false : k.run();
                });
            default:
                if (e.negated) {
                    boolean found = evalTermExpr(e.term, b, () -> true);
                    return found ? false : k.run();
                }
                return evalTermExpr(e.term, b, k);
        }
    }

    private boolean evalTermExpr(Term t, Bindings b, K k) {
        if (t instanceof Term.Call c) {
            String n = c.name();
            if (n != null && (n.equals("eq") || n.equals("assign"))) {
                return unify(c.args.get(0), c.args.get(1), b, k);
            }
            int ar = arity(c);
            if (ar >= 0 && c.args.size() == ar + 1) {
                Term out = c.args.get(ar);
                return evalCall(c, ar, b, res -> unifyValue(out, res, b, k));
            }
            return evalCall(c, c.args.size(), b, res -> res.isFalse() ? false : k.run());
        }
        return evalTerm(t, b, v -> v.isFalse() ? false : k.run());
    }

    private int arity(Term.Call c) {
        String n = c.name();
        if (n == null) {
            return -1;
        }
        Object m = ctx.mocks.get(n);
        if (n.startsWith("data.")) {
            RuleNode fn = funcNode(c, n);
            return fn == null ? -1 : fn.arity();
        }
        if (m != null && m instanceof String) {
            // arity of the original
        }
        return builtin(c, n).arity;
    }

    /** A builtin call's lookup, cached on the call per registry (registries differ only with custom builtins). */
    private record BuiltinRef(Registry reg, int arity, Registry.Def def) {
    }

    private BuiltinRef builtin(Term.Call c, String name) {
        if (c.resolved instanceof BuiltinRef r && r.reg == reg && name.equals(c.name())) {
            return r;
        }
        BuiltinRef r = new BuiltinRef(reg, reg.arity(name), reg.get(name));
        if (name.equals(c.name())) {
            c.resolved = r;
        }
        return r;
    }

    private RuleNode funcNode(Term.Call c, String name) {
        if (c != null && c.resolved instanceof RuleNode rn) {
            return rn;
        }
        RuleNode n = nodeByName(name);
        if (c != null && n != null) {
            c.resolved = n;
        }
        return n;
    }

    private RuleNode nodeByName(String name) {
        String[] parts = name.split("\\.");
        RuleNode n = pol.root;
        for (int i = 1; i < parts.length && n != null; i++) {
            n = n.children.get(Value.str(parts[i]));
        }
        return n;
    }

    // ================================================================== with

    private boolean evalWith(Expr e, Bindings b, K next) {
        List<Expr.With> ws = e.withs;
        Object[] vals = new Object[ws.size()];
        return withValues(ws, 0, vals, b, () -> {
            Ctx nc = new Ctx();
            nc.input = ctx.input;
            nc.overlay = copyOverlay(ctx.overlay);
            nc.mocks = new HashMap<>(ctx.mocks);
            for (int i = 0; i < ws.size(); i++) {
                applyWith(nc, ws.get(i), vals[i]);
            }
            Ctx old = ctx;
            ctx = nc;
            try {
                return evalExpr(e, b, () -> {
                    ctx = old;
                    try {
                        return next.run();
                    } finally {
                        ctx = nc;
                    }
                });
            } finally {
                ctx = old;
            }
        });
    }

    private boolean withValues(List<Expr.With> ws, int i, Object[] vals, Bindings b, K k) {
        if (i == ws.size()) {
            return k.run();
        }
        Term v = ws.get(i).value();
        String fname = functionName(v, b);
        if (fname != null) {
            vals[i] = fname;
            return withValues(ws, i + 1, vals, b, k);
        }
        return evalTerm(v, b, val -> {
            vals[i] = val;
            return withValues(ws, i + 1, vals, b, k);
        });
    }

    private String functionName(Term v, Bindings b) {
        if (v instanceof Term.Var var && b.get(var.name) == null && reg.arity(var.name) != -1) {
            return var.name;
        }
        if (v instanceof Term.Ref r) {
            String n = Term.Call.opName(r);
            if (n == null) {
                return null;
            }
            if (r.headIs("data")) {
                RuleNode node = nodeByName(n);
                return node != null && node.isFunction() ? n : null;
            }
            if (r.head instanceof Term.Var hv && b.get(hv.name) == null && !hv.name.equals("input") && reg.arity(n) != -1) {
                return n;
            }
        }
        return null;
    }

    private void applyWith(Ctx nc, Expr.With w, Object val) {
        Term t = w.target();
        if (t instanceof Term.Ref r && (r.headIs("input") || r.headIs("data"))) {
            List<Value> path = new ArrayList<>();
            for (Term p : r.path) {
                if (p instanceof Term.Scalar s) {
                    path.add(s.value);
                } else {
                    throw new RegoError("rego_type_error", w.loc(), "with target must be a ground reference");
                }
            }
            if (r.headIs("input")) {
                Value v = val instanceof Value vv ? vv : Value.str((String) val);
                nc.input = path.isEmpty() ? v : upsert(nc.input, path, 0, v);
                return;
            }
            RuleNode node = pol.node(path);
            if (node != null && node.isFunction()) {
                nc.mocks.put(Term.Call.opName(r), val);
                return;
            }
            if (val instanceof String fn) {
                val = Value.str(fn);
            }
            if (nc.overlay == null) {
                nc.overlay = new Overlay();
            }
            Overlay o = nc.overlay;
            for (Value p : path) {
                if (o.value != null) {
                    o.value = upsert(o.value, path.subList(path.indexOf(p), path.size()), 0, (Value) val);
                    return;
                }
                o = o.children.computeIfAbsent(p, x -> new Overlay());
            }
            o.value = (Value) val;
            o.children.clear();
            return;
        }
        if (t instanceof Term.Var v && v.name.equals("input")) {
            nc.input = (Value) val;
            return;
        }
        String name = Term.Call.opName(t);
        if (name == null) {
            throw new RegoError("rego_type_error", w.loc(), "invalid with target " + t);
        }
        nc.mocks.put(name, val);
    }

    private static Overlay copyOverlay(Overlay o) {
        if (o == null) {
            return null;
        }
        Overlay n = new Overlay();
        n.value = o.value;
        for (Map.Entry<Value, Overlay> e : o.children.entrySet()) {
            n.children.put(e.getKey(), copyOverlay(e.getValue()));
        }
        return n;
    }

    static Value upsert(Value base, List<Value> path, int i, Value v) {
        if (i == path.size()) {
            return v;
        }
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
        Value child = null;
        if (base instanceof Value.Obj o) {
            m.putAll(o.map());
            child = o.get(path.get(i));
        }
        m.put(path.get(i), upsert(child, path, i + 1, v));
        return Value.obj(m);
    }

    // ================================================================== unification

    private static boolean hasUnbound(Term t, Bindings b) {
        if (t instanceof Term.Var v) {
            return b.get(v.name) == null && !v.name.equals("data");
        }
        if (t instanceof Term.ArrayT a) {
            for (Term i : a.items) {
                if (hasUnbound(i, b)) {
                    return true;
                }
            }
            return false;
        }
        if (t instanceof Term.ObjectT o) {
            for (Term i : o.values) {
                if (hasUnbound(i, b)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean unify(Term a, Term c, Bindings b, K k) {
        if (a instanceof Term.Var va && b.get(va.name) == null && !va.name.equals("data")) {
            if (hasUnbound(c, b)) {
                if (c instanceof Term.Var) {
                    throw new RegoError("rego_unsafe_var_error", a.loc, "var " + Compiler.displayName(va.name) + " is unsafe");
                }
                return unifyTerms(a, c, b, k);
            }
            return evalTerm(c, b, v -> bindAnd(va.name, v, b, k));
        }
        if (c instanceof Term.Var vc && b.get(vc.name) == null && !vc.name.equals("data")) {
            if (hasUnbound(a, b)) {
                return unifyTerms(a, c, b, k);
            }
            return evalTerm(a, b, v -> bindAnd(vc.name, v, b, k));
        }
        return unifyTerms(a, c, b, k);
    }

    private boolean unifyTerms(Term a, Term c, Bindings b, K k) {
        if (a instanceof Term.ArrayT aa && c instanceof Term.ArrayT ca) {
            if (aa.items.size() != ca.items.size()) {
                return false;
            }
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < aa.items.size(); i++) {
                idx.add(i);
            }
            return unifyPairs(aa.items, ca.items, idx, b, k);
        }
        if (a instanceof Term.ObjectT ao && c instanceof Term.ObjectT co && hasUnbound(a, b) && hasUnbound(c, b)) {
            if (ao.keys.size() != co.keys.size()) {
                return false;
            }
            List<Term> la = new ArrayList<>();
            List<Term> lc = new ArrayList<>();
            for (int i = 0; i < ao.keys.size(); i++) {
                Value ka = constValue(ao.keys.get(i), b);
                boolean found = false;
                for (int j = 0; j < co.keys.size(); j++) {
                    Value kc = constValue(co.keys.get(j), b);
                    if (ka != null && ka.equals(kc)) {
                        la.add(ao.values.get(i));
                        lc.add(co.values.get(j));
                        found = true;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < la.size(); i++) {
                idx.add(i);
            }
            return unifyPairs(la, lc, idx, b, k);
        }
        boolean pa = hasUnbound(a, b);
        boolean pc = hasUnbound(c, b);
        if (!pa) {
            return evalTerm(a, b, va -> unifyValue(c, va, b, k));
        }
        if (!pc) {
            return evalTerm(c, b, vc -> unifyValue(a, vc, b, k));
        }
        throw new RegoError("rego_unsafe_var_error", a.loc, "cannot unify " + a + " with " + c);
    }

    private Value constValue(Term t, Bindings b) {
        Value[] out = new Value[1];
        evalTerm(t, b, v -> {
            out[0] = v;
            return true;
        });
        return out[0];
    }

    private boolean unifyPairs(List<Term> as, List<Term> cs, List<Integer> remaining, Bindings b, K k) {
        if (remaining.isEmpty()) {
            return k.run();
        }
        int pick = 0;
        for (int j = 0; j < remaining.size(); j++) {
            int i = remaining.get(j);
            if (!hasUnbound(as.get(i), b) || !hasUnbound(cs.get(i), b)) {
                pick = j;
                break;
            }
        }
        int i = remaining.get(pick);
        List<Integer> rest = new ArrayList<>(remaining);
        rest.remove(pick);
        return unify(as.get(i), cs.get(i), b, () -> unifyPairs(as, cs, rest, b, k));
    }

    private static boolean bindAnd(String name, Value v, Bindings b, K k) {
        b.bind(name, v);
        try {
            return k.run();
        } finally {
            b.unbind(name);
        }
    }

    /** Unifies a (possibly non-ground) pattern term with a value. */
    boolean unifyValue(Term pat, Value v, Bindings b, K k) {
        if (pat instanceof Term.Var pv) {
            Value cur = b.get(pv.name);
            if (cur != null) {
                return cur.equals(v) && k.run();
            }
            if (pv.name.equals("data")) {
                return evalTerm(pat, b, x -> x.equals(v) && k.run());
            }
            return bindAnd(pv.name, v, b, k);
        }
        if (pat instanceof Term.Scalar s) {
            return s.value.equals(v) && k.run();
        }
        if (pat instanceof Term.ArrayT a && hasUnbound(pat, b)) {
            if (!(v instanceof Value.Arr va) || va.size() != a.items.size()) {
                return false;
            }
            return unifyArr(a.items, va, 0, b, k);
        }
        if (pat instanceof Term.ObjectT o && hasUnbound(pat, b)) {
            if (!(v instanceof Value.Obj vo) || vo.size() != o.keys.size()) {
                return false;
            }
            return unifyObj(o, vo, 0, b, k);
        }
        return evalTerm(pat, b, pv -> pv.equals(v) && k.run());
    }

    private boolean unifyArr(List<Term> items, Value.Arr v, int i, Bindings b, K k) {
        if (i == items.size()) {
            return k.run();
        }
        return unifyValue(items.get(i), v.get(i), b, () -> unifyArr(items, v, i + 1, b, k));
    }

    private boolean unifyObj(Term.ObjectT o, Value.Obj v, int i, Bindings b, K k) {
        if (i == o.keys.size()) {
            return k.run();
        }
        return evalTerm(o.keys.get(i), b, key -> {
            Value child = v.get(key);
            if (child == null) {
                return false;
            }
            return unifyValue(o.values.get(i), child, b, () -> unifyObj(o, v, i + 1, b, k));
        });
    }

    // ================================================================== terms

    boolean evalTerm(Term t, Bindings b, VK k) {
        if (t instanceof Term.Scalar s) {
            return k.run(s.value);
        }
        if (t instanceof Term.Var v) {
            Value val = b.get(v.name);
            if (val != null) {
                return k.run(val);
            }
            if (v.name.equals("data")) {
                return evalData(pol.root, baseData, ctx.overlay, List.of(), 0, b, k);
            }
            if (v.name.equals("input")) {
                return ctx.input != null && k.run(ctx.input);
            }
            throw new RegoError("rego_unsafe_var_error", v.loc, "var " + Compiler.displayName(v.name) + " is unsafe");
        }
        if (t instanceof Term.Ref r) {
            return evalRef(r, b, k);
        }
        if (t instanceof Term.Call c) {
            return evalCall(c, c.args.size(), b, k);
        }
        if (t instanceof Term.ArrayT a) {
            Value[] vals = new Value[a.items.size()];
            return evalItems(a.items, 0, vals, b, () -> k.run(Value.arr(List.of(vals))));
        }
        if (t instanceof Term.SetT s) {
            Value[] vals = new Value[s.items.size()];
            return evalItems(s.items, 0, vals, b, () -> k.run(Value.set(List.of(vals))));
        }
        if (t instanceof Term.ObjectT o) {
            int n = o.keys.size();
            Value[] vals = new Value[n * 2];
            List<Term> all = new ArrayList<>(n * 2);
            for (int i = 0; i < n; i++) {
                all.add(o.keys.get(i));
                all.add(o.values.get(i));
            }
            return evalItems(all, 0, vals, b, () -> {
                LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(vals[2 * i], vals[2 * i + 1]);
                }
                return k.run(Value.obj(m));
            });
        }
        if (t instanceof Term.Compr c) {
            return evalCompr(c, b, k);
        }
        throw new IllegalStateException("unknown term " + t);
    }

    private boolean evalItems(List<Term> items, int i, Value[] vals, Bindings b, K k) {
        if (i == items.size()) {
            return k.run();
        }
        return evalTerm(items.get(i), b, v -> {
            vals[i] = v;
            return evalItems(items, i + 1, vals, b, k);
        });
    }

    // ================================================================== direct (single-valued) evaluation

    /*
     * Most expressions are tests or assignments over terms that cannot iterate once their variables are bound
     * (`c.privileged`, `team := x.team`, `count(users) > 3`). Evaluating those to a value in direct style, instead
     * of through continuations, saves a closure per term per solution: about half the bytes an evaluation over a
     * large input allocated. A term that turns out to iterate (an unbound variable in a ref, `walk`, a mocked
     * function…) answers NOT_DIRECT and is evaluated again through the continuation path; what was evaluated
     * before the bail-out is pure, and terms containing `print` are never evaluated directly.
     */

    /** Marker: the term cannot be evaluated directly here. Compared by identity. */
    private static final Value NOT_DIRECT = new Value.Str("\u0000not-direct");
    private static final int D_FAIL = 0;
    private static final int D_PASS = 1;
    private static final int D_CPS = 2;

    /** Evaluates a body expression directly when it is single-valued: passes (maybe binding a var) or fails. */
    private int directExpr(Expr e, Bindings b) {
        if (e.kind != Expr.Kind.TERM || !e.withs.isEmpty() || !directOk(e.term)) {
            return D_CPS;
        }
        Term t = e.term;
        boolean found;
        if (t instanceof Term.Call c && ("eq".equals(c.name()) || "assign".equals(c.name())) && c.args.size() == 2) {
            Term l = c.args.get(0);
            Term r = c.args.get(1);
            Term.Var target = null;
            Term other = null;
            if (l instanceof Term.Var lv && b.get(lv.name) == null && !lv.name.equals("data")) {
                target = lv;
                other = r;
            } else if (r instanceof Term.Var rv && b.get(rv.name) == null && !rv.name.equals("data")) {
                target = rv;
                other = l;
            }
            if (target != null) {
                if (hasUnbound(other, b)) {
                    return D_CPS;
                }
                Value v = direct(other, b);
                if (v == NOT_DIRECT) {
                    return D_CPS;
                }
                if (v == null || e.negated) {
                    return (v == null) == e.negated ? D_PASS : D_FAIL;
                }
                b.bindTrailed(target.name, v);
                return D_PASS;
            }
            if (hasUnbound(l, b) || hasUnbound(r, b)) {
                return D_CPS;
            }
            Value lv = direct(l, b);
            if (lv == NOT_DIRECT) {
                return D_CPS;
            }
            Value rv = lv == null ? null : direct(r, b);
            if (rv == NOT_DIRECT) {
                return D_CPS;
            }
            found = lv != null && rv != null && lv.equals(rv);
        } else {
            if (t instanceof Term.Call c) {
                int ar = arity(c);
                if (ar < 0 || c.args.size() != ar) {
                    return D_CPS; // output argument, variadic or unknown: the continuation path handles (or reports) it
                }
            }
            Value v = direct(t, b);
            if (v == NOT_DIRECT) {
                return D_CPS;
            }
            found = v != null && !v.isFalse();
        }
        return found != e.negated ? D_PASS : D_FAIL;
    }

    /** Values of a term: directly when it is single-valued, else through the continuation path. */
    private boolean values(Term t, Bindings b, VK k) {
        if (directOk(t)) {
            Value v = direct(t, b);
            if (v != NOT_DIRECT) {
                return v != null && k.run(v);
            }
        }
        return evalTerm(t, b, k);
    }

    /** Static part of the test: no {@code print} anywhere inside (its output must not repeat on a bail-out). */
    private static boolean directOk(Term t) {
        byte d = t.direct;
        if (d == 0) {
            d = printFree(t) ? (byte) 1 : (byte) 2;
            t.direct = d;
        }
        return d == 1;
    }

    private static boolean printFree(Term t) {
        if (t == null || t instanceof Term.Scalar || t instanceof Term.Var) {
            return true;
        }
        if (t instanceof Term.Ref r) {
            return printFree(r.head) && r.path.stream().allMatch(Evaluator::printFree);
        }
        if (t instanceof Term.Call c) {
            return !"print".equals(c.name()) && printFree(c.op) && c.args.stream().allMatch(Evaluator::printFree);
        }
        if (t instanceof Term.ArrayT a) {
            return a.items.stream().allMatch(Evaluator::printFree);
        }
        if (t instanceof Term.SetT a) {
            return a.items.stream().allMatch(Evaluator::printFree);
        }
        if (t instanceof Term.ObjectT o) {
            return o.keys.stream().allMatch(Evaluator::printFree) && o.values.stream().allMatch(Evaluator::printFree);
        }
        if (t instanceof Term.Compr c) {
            return printFree(c.key) && printFree(c.head) && c.body.stream().allMatch(Evaluator::printFree);
        }
        return false;
    }

    private static boolean printFree(Expr e) {
        if (e.withs.stream().anyMatch(w -> !printFree(w.value()))) {
            return false;
        }
        return printFree(e.term) && printFree(e.key) && printFree(e.value) && printFree(e.domain)
                && e.body.stream().allMatch(Evaluator::printFree);
    }

    /** The single value of a term, null when undefined, or {@link #NOT_DIRECT}. */
    private Value direct(Term t, Bindings b) {
        if (t instanceof Term.Scalar s) {
            return s.value;
        }
        if (t instanceof Term.Var v) {
            Value val = b.get(v.name);
            if (val != null) {
                return val;
            }
            return v.name.equals("input") ? ctx.input : NOT_DIRECT;
        }
        if (t instanceof Term.Ref r) {
            Term h = r.head;
            if (h instanceof Term.Var hv) {
                switch (hv.name) {
                    case "input":
                        return ctx.input == null ? null : directWalk(ctx.input, r.path, 0, b);
                    case "data":
                        return directData(pol.root, baseData, ctx.overlay, r.path, 0, b);
                    default:
                        Value v = b.get(hv.name);
                        return v == null ? NOT_DIRECT : directWalk(v, r.path, 0, b);
                }
            }
            Value hv = direct(h, b);
            return hv == null || hv == NOT_DIRECT ? hv : directWalk(hv, r.path, 0, b);
        }
        if (t instanceof Term.Call c) {
            String name = c.name();
            if (name == null || name.equals("walk") || !ctx.mocks.isEmpty() || arity(c) != c.args.size()) {
                return NOT_DIRECT;
            }
            Value[] args = directAll(c.args, b);
            return args == UNDEFINED_ITEMS ? null : args == NOT_DIRECT_ITEMS ? NOT_DIRECT : invokeValue(name, c, args);
        }
        if (t instanceof Term.ArrayT a) {
            Value[] vals = directAll(a.items, b);
            return vals == UNDEFINED_ITEMS ? null : vals == NOT_DIRECT_ITEMS ? NOT_DIRECT : Value.arr(List.of(vals));
        }
        if (t instanceof Term.SetT st) {
            Value[] vals = directAll(st.items, b);
            return vals == UNDEFINED_ITEMS ? null : vals == NOT_DIRECT_ITEMS ? NOT_DIRECT : Value.set(List.of(vals));
        }
        if (t instanceof Term.ObjectT o) {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
            for (int i = 0; i < o.keys.size(); i++) {
                Value kv = direct(o.keys.get(i), b);
                if (kv == null || kv == NOT_DIRECT) {
                    return kv;
                }
                Value vv = direct(o.values.get(i), b);
                if (vv == null || vv == NOT_DIRECT) {
                    return vv;
                }
                m.put(kv, vv);
            }
            return Value.obj(m);
        }
        if (t instanceof Term.Compr c) {
            return comprDirect(c, b);
        }
        return NOT_DIRECT;
    }

    /** Markers of {@link #directAll}, compared by identity. */
    private static final Value[] UNDEFINED_ITEMS = new Value[0];
    private static final Value[] NOT_DIRECT_ITEMS = new Value[0];

    /** The direct values of terms in order; stops at the first undefined or not-direct one (like evalItems). */
    private Value[] directAll(List<Term> items, Bindings b) {
        Value[] vals = new Value[items.size()];
        for (int i = 0; i < vals.length; i++) {
            Value v = direct(items.get(i), b);
            if (v == null || v == NOT_DIRECT) {
                return v == null ? UNDEFINED_ITEMS : NOT_DIRECT_ITEMS;
            }
            vals[i] = v;
        }
        return vals;
    }

    /** {@link #walk} for a ground path. */
    private Value directWalk(Value v, List<Term> path, int i, Bindings b) {
        for (; i < path.size(); i++) {
            Value key = pathKey(path.get(i), b);
            if (key == null || key == NOT_DIRECT) {
                return key;
            }
            v = lookup(v, key);
            if (v == null) {
                return null;
            }
        }
        return v;
    }

    private Value pathKey(Term p, Bindings b) {
        if (p instanceof Term.Scalar s) {
            return s.value;
        }
        if (p instanceof Term.Var pv) {
            Value bound = b.get(pv.name);
            return bound != null ? bound : NOT_DIRECT;
        }
        return hasUnbound(p, b) ? NOT_DIRECT : direct(p, b);
    }

    /** {@link #evalData} for a ground path. */
    private Value directData(RuleNode node, Value base, Overlay ov, List<Term> path, int i, Bindings b) {
        if (ov != null && ov.value != null) {
            return directWalk(ov.value, path, i, b);
        }
        if (node == null) {
            BaseDescent d = baseDescent(ov == null ? base : applyOverlay(base, ov), ov == null, path, i, b);
            return d.value == null ? null : directWalk(d.value, path, d.next, b);
        }
        if (i == path.size() || node.hasRules()) {
            Value v = extent(node, base, ov);
            return v == null ? null : directWalk(v, path, i, b);
        }
        if (node.isFunction()) {
            return null;
        }
        Value key = pathKey(path.get(i), b);
        if (key == null || key == NOT_DIRECT) {
            return key;
        }
        RuleNode child = node.children.get(key);
        Value cb = baseChild(base, key);
        Overlay cov = ov == null ? null : ov.children.get(key);
        if (child == null && cb == null && cov == null) {
            return null;
        }
        return directData(child, cb, cov, path, i + 1, b);
    }

    /** Comprehension analysis: vars occurring in it, and an optional index expression. */
    private static final class ComprIndex {
        String[] vars;
        int exprIdx = -1;
        Term local; // side evaluated inside the comprehension
        Term outer; // side depending only on outer vars
        List<Expr> rest;
    }

    private static boolean hasPatternVar(Term t) {
        if (t instanceof Term.Var) {
            return true;
        }
        if (t instanceof Term.ArrayT a) {
            return a.items.stream().anyMatch(Evaluator::hasPatternVar);
        }
        if (t instanceof Term.ObjectT o) {
            return o.values.stream().anyMatch(Evaluator::hasPatternVar);
        }
        return false;
    }

    private ComprIndex comprIndex(Term.Compr c, Bindings b) {
        Object o = c.index;
        if (o instanceof ComprIndex ci) {
            return ci;
        }
        ComprIndex ci = new ComprIndex();
        Set<String> all = new LinkedHashSet<>();
        Vars.of(c, all);
        all.remove("data");
        all.remove("input");
        Set<String> outer = new LinkedHashSet<>();
        for (String v : all) {
            if (b.get(v) != null) {
                outer.add(v);
            }
        }
        ci.vars = outer.toArray(new String[0]);
        if (!outer.isEmpty()) {
            for (int i = 0; i < c.body.size() && ci.exprIdx < 0; i++) {
                Expr e = c.body.get(i);
                if (e.kind != Expr.Kind.TERM || e.negated || !e.withs.isEmpty() || !(e.term instanceof Term.Call call)) {
                    continue;
                }
                String n = call.name();
                if (n == null || !(n.equals("equal") || n.equals("eq")) || call.args.size() != 2) {
                    continue;
                }
                for (int side = 0; side < 2 && ci.exprIdx < 0; side++) {
                    Term loc = call.args.get(side);
                    Term out = call.args.get(1 - side);
                    Set<String> lv = new LinkedHashSet<>();
                    Set<String> ov = new LinkedHashSet<>();
                    Vars.of(loc, lv);
                    Vars.of(out, ov);
                    lv.remove("data");
                    lv.remove("input");
                    ov.remove("data");
                    ov.remove("input");
                    if (ov.isEmpty() || !outer.containsAll(ov) || lv.isEmpty() || lv.stream().anyMatch(outer::contains)) {
                        continue;
                    }
                    if (n.equals("eq") && (loc instanceof Term.Var || hasPatternVar(loc))) {
                        continue; // the unification may be what binds the local side
                    }
                    Set<String> restVars = new LinkedHashSet<>();
                    List<Expr> rest = new ArrayList<>(c.body);
                    rest.remove(i);
                    rest.forEach(x -> Vars.of(x, restVars));
                    Vars.of(c.key, restVars);
                    Vars.of(c.head, restVars);
                    if (restVars.stream().anyMatch(outer::contains) || !restVars.containsAll(lv) || rest.isEmpty()) {
                        continue;
                    }
                    ci.exprIdx = i;
                    ci.local = loc;
                    ci.outer = out;
                    ci.rest = rest;
                }
            }
        }
        c.index = ci;
        return ci;
    }

    private boolean evalCompr(Term.Compr c, Bindings b, VK k) {
        ComprIndex ci = comprIndex(c, b);
        if (ci.exprIdx >= 0) {
            Map<Value, Value> g = comprGroups(c, ci, b);
            return values(ci.outer, b, ov -> k.run(comprGroup(c, g, ov)));
        }
        return k.run(comprCached(c, ci, b));
    }

    /** {@link #evalCompr} in direct style: its value, or NOT_DIRECT when the index key iterates. */
    private Value comprDirect(Term.Compr c, Bindings b) {
        ComprIndex ci = comprIndex(c, b);
        if (ci.exprIdx < 0) {
            return comprCached(c, ci, b);
        }
        Map<Value, Value> g = comprGroups(c, ci, b);
        Value ov = directOk(ci.outer) ? direct(ci.outer, b) : NOT_DIRECT;
        return ov == null || ov == NOT_DIRECT ? ov : comprGroup(c, g, ov);
    }

    /** A plain comprehension's value, cached per values of the outer variables it uses. */
    private Value comprCached(Term.Compr c, ComprIndex ci, Bindings b) {
        Object key = c;
        if (ci.vars.length > 0) {
            List<Object> k = new ArrayList<>(ci.vars.length + 1);
            k.add(c);
            for (String v : ci.vars) {
                k.add(b.get(v));
            }
            key = k;
        }
        Object cached = ctx.comprCache.get(key);
        if (cached != null) {
            return (Value) cached;
        }
        Value v = comprPlain(c, b);
        ctx.comprCache.put(key, v);
        return v;
    }

    @SuppressWarnings("unchecked")
    private Map<Value, Value> comprGroups(Term.Compr c, ComprIndex ci, Bindings b) {
        Object cached = ctx.comprCache.get(c);
        Map<Value, Value> groups;
        if (cached instanceof Map<?, ?> m) {
            groups = (Map<Value, Value>) m;
        } else {
            Map<Value, Object> builders = new HashMap<>();
            enter(c.loc);
            try {
                evalBody(ci.rest, 0, b, () -> values(ci.local, b, kv -> {
                    switch (c.kind) {
                        case ARRAY -> values(c.head, b, v -> {
                            charge(BuiltinContext.ELEMENT_BYTES);
                            ((List<Value>) builders.computeIfAbsent(kv, x -> new ArrayList<Value>())).add(v);
                            return false;
                        });
                        case SET -> values(c.head, b, v -> {
                            charge(BuiltinContext.ELEMENT_BYTES);
                            ((Set<Value>) builders.computeIfAbsent(kv, x -> new LinkedHashSet<Value>())).add(v);
                            return false;
                        });
                        default -> values(c.key, b, ok -> values(c.head, b, v -> {
                            Map<Value, Value> m = (Map<Value, Value>) builders.computeIfAbsent(kv, x -> new LinkedHashMap<Value, Value>());
                            charge(BuiltinContext.ELEMENT_BYTES);
                            Value prev = m.putIfAbsent(ok, v);
                            if (prev != null && !prev.equals(v)) {
                                throw new RegoError("eval_conflict_error", c.loc, "object keys must be unique");
                            }
                            return false;
                        }));
                    }
                    return false;
                }));
            } finally {
                depth--;
            }
            groups = new HashMap<>();
            for (Map.Entry<Value, Object> e : builders.entrySet()) {
                Object bld = e.getValue();
                Value v = bld instanceof List<?> l ? Value.arr((List<Value>) l)
                        : bld instanceof Set<?> s ? new Value.SetV((Set<Value>) s) : Value.obj((Map<Value, Value>) bld);
                groups.put(e.getKey(), v);
            }
            ctx.comprCache.put(c, groups);
        }
        return groups;
    }

    /** The group of an indexed comprehension for one value of its outer key (empty when none). */
    private static Value comprGroup(Term.Compr c, Map<Value, Value> groups, Value outerKey) {
        Value v = groups.get(outerKey);
        if (v != null) {
            return v;
        }
        return c.kind == Term.Compr.Kind.ARRAY ? Value.EMPTY_ARRAY
                : c.kind == Term.Compr.Kind.SET ? new Value.SetV(new LinkedHashSet<>()) : Value.EMPTY_OBJECT;
    }

    private Value comprPlain(Term.Compr c, Bindings b) {
        enter(c.loc);
        Value result;
        try {
            switch (c.kind) {
                case ARRAY -> {
                    List<Value> items = new ArrayList<>();
                    evalBody(c.body, 0, b, () -> values(c.head, b, v -> {
                        charge(BuiltinContext.ELEMENT_BYTES);
                        items.add(v);
                        return false;
                    }));
                    result = Value.arr(items);
                }
                case SET -> {
                    LinkedHashSet<Value> items = new LinkedHashSet<>();
                    evalBody(c.body, 0, b, () -> values(c.head, b, v -> {
                        charge(BuiltinContext.ELEMENT_BYTES);
                        items.add(v);
                        return false;
                    }));
                    result = new Value.SetV(items);
                }
                default -> {
                    LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
                    evalBody(c.body, 0, b, () -> values(c.key, b, kv -> values(c.head, b, v -> {
                        charge(BuiltinContext.ELEMENT_BYTES);
                        Value prev = m.putIfAbsent(kv, v);
                        if (prev != null && !prev.equals(v)) {
                            throw new RegoError("eval_conflict_error", c.loc, "object keys must be unique");
                        }
                        return false;
                    })));
                    result = Value.obj(m);
                }
            }
        } finally {
            depth--;
        }
        return result;
    }

    private void enter(Location loc) {
        if (++depth > opts.maxDepth) {
            depth = 0;
            throw new RegoError("eval_cancel_error", loc, "evaluation depth limit exceeded (" + opts.maxDepth + ")");
        }
    }

    // ================================================================== refs

    private boolean evalRef(Term.Ref r, Bindings b, VK k) {
        Term h = r.head;
        if (h instanceof Term.Var hv) {
            switch (hv.name) {
                case "input":
                    return ctx.input != null && walk(ctx.input, r.path, 0, b, k);
                case "data":
                    return evalData(pol.root, baseData, ctx.overlay, r.path, 0, b, k);
                default:
                    Value v = b.get(hv.name);
                    if (v == null) {
                        throw new RegoError("rego_unsafe_var_error", hv.loc, "var " + Compiler.displayName(hv.name) + " is unsafe");
                    }
                    return walk(v, r.path, 0, b, k);
            }
        }
        return evalTerm(h, b, v -> walk(v, r.path, 0, b, k));
    }

    static Value lookup(Value v, Value key) {
        if (v instanceof Value.Obj o) {
            return o.get(key);
        }
        if (v instanceof Value.Arr a) {
            if (key instanceof Value.Num n) {
                Integer i = n.intValueExact();
                if (i != null && i >= 0 && i < a.size()) {
                    return a.get(i);
                }
            }
            return null;
        }
        if (v instanceof Value.SetV s) {
            return s.contains(key) ? key : null;
        }
        return null;
    }

    /** Iterates children of a collection; fn returns true to stop. Returns true when stopped. */
    interface KV {
        boolean run(Value key, Value val);
    }

    static boolean iterate(Value coll, KV fn) {
        if (coll instanceof Value.Arr a) {
            for (int i = 0; i < a.size(); i++) {
                if (fn.run(Value.Num.index(i), a.get(i))) {
                    return true;
                }
            }
        } else if (coll instanceof Value.Obj o) {
            return o.visit(fn::run);
        } else if (coll instanceof Value.SetV s) {
            for (Value v : s.items()) {
                if (fn.run(v, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean walk(Value v, List<Term> path, int i, Bindings b, VK k) {
        if (i == path.size()) {
            return k.run(v);
        }
        Term p = path.get(i);
        if (p instanceof Term.Scalar s) {
            Value c = lookup(v, s.value);
            return c != null && walk(c, path, i + 1, b, k);
        }
        if (p instanceof Term.Var pv) {
            Value bound = b.get(pv.name);
            if (bound != null) {
                Value c = lookup(v, bound);
                return c != null && walk(c, path, i + 1, b, k);
            }
            return iterate(v, (key, child) -> {
                tick();
                b.bind(pv.name, key);
                try {
                    return walk(child, path, i + 1, b, k);
                } finally {
                    b.unbind(pv.name);
                }
            });
        }
        if (hasUnbound(p, b)) {
            return iterate(v, (key, child) -> unifyValue(p, key, b, () -> walk(child, path, i + 1, b, k)));
        }
        return evalTerm(p, b, key -> {
            Value c = lookup(v, key);
            return c != null && walk(c, path, i + 1, b, k);
        });
    }

    private boolean evalData(RuleNode node, Value base, Overlay ov, List<Term> path, int i, Bindings b, VK k) {
        if (ov != null && ov.value != null) {
            return walk(ov.value, path, i, b, k);
        }
        if (node == null) {
            BaseDescent d = baseDescent(ov == null ? base : applyOverlay(base, ov), ov == null, path, i, b);
            return d.value != null && walk(d.value, path, d.next, b, k);
        }
        if (i == path.size() || node.hasRules()) {
            Value v = extent(node, base, ov);
            return v != null && walk(v, path, i, b, k);
        }
        if (node.isFunction()) {
            return false;
        }
        Term p = path.get(i);
        Value key = null;
        if (p instanceof Term.Scalar s) {
            key = s.value;
        } else if (p instanceof Term.Var pv) {
            key = b.get(pv.name);
        }
        if (key != null) {
            return dataStep(node, base, ov, key, path, i, b, k);
        }
        if (!(p instanceof Term.Var) && !hasUnbound(p, b)) {
            return evalTerm(p, b, kv -> dataStep(node, base, ov, kv, path, i, b, k));
        }
        Value v = extent(node, base, ov);
        return v != null && walk(v, path, i, b, k);
    }

    /** A base document after the leading number segments of a path, and the index of the first one left. */
    private record BaseDescent(Value value, int next) {
    }

    /** A number segment names a base-document key by its text, as OPA's storage paths do (not under {@code with}). */
    private static BaseDescent baseDescent(Value v, boolean plain, List<Term> path, int i, Bindings b) {
        int j = i;
        if (plain) {
            while (v instanceof Value.Obj && j < path.size() && groundKey(path.get(j), b) instanceof Value.Num n) {
                v = lookup(v, Value.str(n.text()));
                j++;
            }
        }
        return new BaseDescent(v, j);
    }

    /** The child of a base document under a data-tree key (a number key reads the key with its text). */
    private static Value baseChild(Value base, Value key) {
        return base == null ? null : lookup(base, base instanceof Value.Obj && key instanceof Value.Num n ? Value.str(n.text()) : key);
    }

    private static Value groundKey(Term p, Bindings b) {
        return p instanceof Term.Scalar s ? s.value : p instanceof Term.Var pv ? b.get(pv.name) : null;
    }

    private boolean dataStep(RuleNode node, Value base, Overlay ov, Value key, List<Term> path, int i, Bindings b, VK k) {
        RuleNode child = node.children.get(key);
        Value cb = baseChild(base, key);
        Overlay cov = ov == null ? null : ov.children.get(key);
        if (child == null && cb == null && cov == null) {
            return false;
        }
        return evalData(child, cb, cov, path, i + 1, b, k);
    }

    private static Value applyOverlay(Value base, Overlay ov) {
        if (ov.value != null) {
            return ov.value;
        }
        if (ov.children.isEmpty()) {
            return base;
        }
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
        if (base instanceof Value.Obj o) {
            m.putAll(o.map());
        }
        for (Map.Entry<Value, Overlay> e : ov.children.entrySet()) {
            Value c = applyOverlay(lookup(base, e.getKey()), e.getValue());
            if (c != null) {
                m.put(e.getKey(), c);
            }
        }
        return Value.obj(m);
    }

    private Value extent(RuleNode node, Value base, Overlay ov) {
        if (ov != null && ov.value != null) {
            return ov.value;
        }
        if (ov == null) {
            Object c = ctx.extentCache.get(node);
            if (c != null) {
                return c == UNDEF ? null : (Value) c;
            }
        }
        // a base document at the same path takes precedence over rules (as in OPA)
        Value rv = node.hasRules() && (base == null || !node.children.isEmpty()) ? evalRules(node) : null;
        Value result;
        if (node.children.isEmpty()) {
            if (node.hasRules()) {
                result = base != null ? base : rv;
            } else if (node.isFunction()) {
                result = null;
            } else {
                result = base == null && node.pkg ? Value.EMPTY_OBJECT : base;
            }
        } else {
            LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
            if (base instanceof Value.Obj bo) {
                m.putAll(bo.map());
            }
            for (Map.Entry<Value, RuleNode> e : node.children.entrySet()) {
                Value ce = extent(e.getValue(), lookup(base, e.getKey()), ov == null ? null : ov.children.get(e.getKey()));
                if (ce != null) {
                    m.put(e.getKey(), ce);
                }
            }
            if (rv instanceof Value.Obj ro) {
                m.putAll(ro.map());
            }
            result = Value.obj(m);
        }
        if (ov != null) {
            LinkedHashMap<Value, Value> m = null;
            for (Map.Entry<Value, Overlay> e : ov.children.entrySet()) {
                if (node.children.containsKey(e.getKey())) {
                    continue;
                }
                if (m == null) {
                    m = new LinkedHashMap<>();
                    if (result instanceof Value.Obj ro) {
                        m.putAll(ro.map());
                    }
                }
                Value c = applyOverlay(lookup(base, e.getKey()), e.getValue());
                if (c != null) {
                    m.put(e.getKey(), c);
                }
            }
            if (m != null) {
                result = Value.obj(m);
            }
        } else {
            ctx.extentCache.put(node, result == null ? UNDEF : result);
        }
        return result;
    }

    // ================================================================== rules

    private Value evalRules(RuleNode node) {
        Object c = ctx.ruleCache.get(node);
        if (c != null) {
            return c == UNDEF ? null : (Value) c;
        }
        boolean share = node.constant && opts.shared != null && ctx == rootCtx;
        if (share) {
            Object sv = opts.shared.get(node);
            if (sv != null) {
                ctx.ruleCache.put(node, sv);
                return sv == UNDEF ? null : (Value) sv;
            }
        }
        enter(node.rules.isEmpty() ? null : node.rules.get(0).src.loc);
        Value v;
        try {
            v = computeRules(node);
        } finally {
            depth--;
        }
        ctx.ruleCache.put(node, v == null ? UNDEF : v);
        if (share) {
            opts.shared.put(node, v == null ? UNDEF : v);
        }
        return v;
    }

    private static final Object NO_CONDS = new Object();

    /** Conditions {@code input.a.b == const} at the top level of a rule body, used to skip rules cheaply. */
    private static Object indexConds(CRule r) {
        Object c = r.indexConds;
        if (c != null) {
            return c;
        }
        List<Object[]> conds = new ArrayList<>();
        for (Expr e : r.body) {
            if (e.kind != Expr.Kind.TERM || e.negated || !e.withs.isEmpty() || !(e.term instanceof Term.Call call)) {
                continue;
            }
            String n = call.name();
            if (n == null || !(n.equals("equal") || n.equals("eq")) || call.args.size() != 2) {
                continue;
            }
            Term a = call.args.get(0);
            Term b = call.args.get(1);
            if (b instanceof Term.Ref) {
                Term t = a;
                a = b;
                b = t;
            }
            if (a instanceof Term.Ref ref && ref.headIs("input") && b instanceof Term.Scalar sc) {
                List<Value> path = new ArrayList<>();
                boolean ground = true;
                for (Term pt : ref.path) {
                    if (pt instanceof Term.Scalar ps) {
                        path.add(ps.value);
                    } else {
                        ground = false;
                        break;
                    }
                }
                if (ground) {
                    conds.add(new Object[] {path, sc.value});
                }
            }
        }
        Object res = conds.isEmpty() ? NO_CONDS : conds;
        r.indexConds = res;
        return res;
    }

    @SuppressWarnings("unchecked")
    private boolean indexedOut(CRule r) {
        Object c = indexConds(r);
        if (c == NO_CONDS) {
            return false;
        }
        for (Object[] cond : (List<Object[]>) c) {
            Value v = ctx.input;
            for (Value k : (List<Value>) cond[0]) {
                v = v == null ? null : lookup(v, k);
            }
            if (v == null || !v.equals(cond[1])) {
                return true;
            }
        }
        return false;
    }

    private Value computeRules(RuleNode node) {
        boolean objectMode = false;
        boolean setMode = false;
        for (CRule r : node.rules) {
            if (!r.suffix.isEmpty()) {
                objectMode = true;
            } else if (r.isContains()) {
                setMode = true;
            }
        }
        CRule saved = currentRule;
        try {
            if (objectMode) {
                LinkedHashMap<Value, Object> root = new LinkedHashMap<>();
                for (CRule r : node.rules) {
                    if (indexedOut(r)) {
                        continue;
                    }
                    currentRule = r;
                    Bindings b = new Bindings();
                    Value[] keys = new Value[r.suffix.size()];
                    evalBody(r.body, 0, b, () -> evalItems(r.suffix, 0, keys, b, () -> values(r.value, b, v -> {
                        charge(BuiltinContext.ELEMENT_BYTES);
                        insert(root, keys, 0, v, r);
                        return false;
                    })));
                }
                return build(root);
            }
            if (setMode) {
                LinkedHashSet<Value> items = new LinkedHashSet<>();
                for (CRule r : node.rules) {
                    if (indexedOut(r)) {
                        continue;
                    }
                    currentRule = r;
                    Bindings b = new Bindings();
                    evalBody(r.body, 0, b, () -> values(r.value, b, v -> {
                        charge(BuiltinContext.ELEMENT_BYTES);
                        items.add(v);
                        return false;
                    }));
                }
                return new Value.SetV(items);
            }
            Value[] result = new Value[1];
            for (CRule r : node.rules) {
                for (CRule c = r; c != null; c = c.elseRule) {
                    if (indexedOut(c)) {
                        continue;
                    }
                    currentRule = c;
                    boolean[] any = new boolean[1];
                    Bindings b = new Bindings();
                    final CRule cr = c;
                    evalBody(c.body, 0, b, () -> values(cr.value, b, v -> {
                        any[0] = true;
                        if (result[0] == null) {
                            result[0] = v;
                        } else if (!result[0].equals(v)) {
                            throw new RegoError("eval_conflict_error", cr.src.loc,
                                    "rule " + node.pathText() + " produced conflicting values");
                        }
                        return false;
                    }));
                    if (any[0]) {
                        break;
                    }
                }
            }
            if (result[0] == null && node.defaultRule != null) {
                currentRule = node.defaultRule;
                Bindings b = new Bindings();
                evalTerm(node.defaultRule.value, b, v -> {
                    result[0] = v;
                    return true;
                });
            }
            return result[0];
        } finally {
            currentRule = saved;
        }
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<Value, Object> m, Value[] keys, int i, Value v, CRule r) {
        Value key = keys[i];
        if (i == keys.length - 1) {
            Object existing = m.get(key);
            if (r.isContains()) {
                if (existing == null) {
                    existing = new LinkedHashSet<Value>();
                    m.put(key, existing);
                } else if (!(existing instanceof Set)) {
                    throw new RegoError("eval_conflict_error", r.src.loc, "object keys must be unique");
                }
                ((Set<Value>) existing).add(v);
                return;
            }
            if (existing == null) {
                m.put(key, v);
            } else if (!(existing instanceof Value) || !existing.equals(v)) {
                throw new RegoError("eval_conflict_error", r.src.loc, "object keys must be unique");
            }
            return;
        }
        Object child = m.get(key);
        if (child == null) {
            child = new LinkedHashMap<Value, Object>();
            m.put(key, child);
        } else if (!(child instanceof Map)) {
            throw new RegoError("eval_conflict_error", r.src.loc, "object keys must be unique");
        }
        insert((Map<Value, Object>) child, keys, i + 1, v, r);
    }

    @SuppressWarnings("unchecked")
    private static Value build(Object o) {
        if (o instanceof Value v) {
            return v;
        }
        if (o instanceof Set<?> s) {
            return new Value.SetV((Set<Value>) s);
        }
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
        for (Map.Entry<Value, Object> e : ((Map<Value, Object>) o).entrySet()) {
            m.put(e.getKey(), build(e.getValue()));
        }
        return Value.obj(m);
    }

    // ================================================================== calls

    private boolean evalCall(Term.Call c, int nargs, Bindings b, VK k) {
        String name = c.name();
        if (name == null) {
            throw new RegoError("rego_type_error", c.loc, "invalid function call " + c);
        }
        if (name.equals("print")) {
            return evalPrint(c, b, k);
        }
        if (name.equals("walk") && !ctx.mocks.containsKey("walk")) {
            return evalTerm(c.args.get(0), b, root -> walkAll(root, new ArrayList<>(), k));
        }
        Object mock = ctx.mocks.isEmpty() ? null : ctx.mocks.get(name);
        Value[] vals = new Value[nargs];
        if (mock instanceof Value mv) {
            return evalItems(c.args.subList(0, nargs), 0, vals, b, () -> k.run(mv));
        }
        String target = mock instanceof String s ? s : name;
        if (mock != null) {
            return evalItems(c.args.subList(0, nargs), 0, vals, b, () -> {
                Ctx old = ctx;
                Ctx nc = new Ctx();
                nc.input = old.input;
                nc.overlay = old.overlay;
                nc.mocks = Map.of();
                ctx = nc;
                Value[] res = new Value[1];
                try {
                    invoke(target, c, vals.clone(), v -> {
                        res[0] = v;
                        return true;
                    });
                } finally {
                    ctx = old;
                }
                return res[0] != null && k.run(res[0]);
            });
        }
        return evalItems(c.args.subList(0, nargs), 0, vals, b, () -> invoke(target, c, vals.clone(), k));
    }

    private boolean invoke(String name, Term.Call c, Value[] args, VK k) {
        Value r = invokeValue(name, c, args);
        return r != null && k.run(r);
    }

    /** The value of a builtin or function call, or null when undefined. */
    private Value invokeValue(String name, Term.Call c, Value[] args) {
        if (name.startsWith("data.")) {
            RuleNode fn = name.equals(c.name()) ? funcNode(c, name) : nodeByName(name);
            if (fn == null || !fn.isFunction()) {
                throw new RegoError("rego_type_error", c.loc, "undefined function " + name);
            }
            return callFunction(fn, args, c.loc);
        }
        Value r;
        switch (name) {
            case "rego.metadata.rule" -> r = metadataRule();
            case "rego.metadata.chain" -> r = metadataChain();
            case "trace" -> r = Value.bool(true);
            case "opa.runtime" -> r = opts.runtime;
            case "time.now_ns" -> r = Value.num(bctx.nowNanos);
            default -> {
                Registry.Def d = builtin(c, name).def;
                if (d == null) {
                    String refused = reg.refused(name);
                    throw new RegoError("rego_type_error", c.loc, refused != null ? refused : "undefined function " + name);
                }
                try {
                    bctx.callSite = c.loc;
                    r = d.fn().call(args, bctx);
                } catch (BuiltinError e) {
                    return builtinError(e.type, c, name, e.getMessage());
                } catch (RegoError e) {
                    throw e; // the query's limits (deadline, memory budget) and errors a builtin raises on purpose
                } catch (RuntimeException e) {
                    // a builtin that failed unexpectedly (a bug, or a library's exception on hostile arguments) fails
                    // this expression like any builtin error, never the whole command
                    if (opts.builtinFailure != null) {
                        opts.builtinFailure.accept(name, e);
                    }
                    return builtinError(false, c, name, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
                } catch (StackOverflowError e) {
                    if (opts.builtinFailure != null) {
                        opts.builtinFailure.accept(name, e);
                    }
                    return builtinError(false, c, name, "value too deeply nested (stack overflow)");
                } catch (OutOfMemoryError e) {
                    // the heap ran out although the budget was not reached: a resource limit like the budget, so the
                    // query fails rather than the expression becoming undefined and changing the decision
                    throw new RegoError("eval_cancel_error", c.loc, name + ": out of memory (the JVM heap is exhausted)");
                }
            }
        }
        return r;
    }

    /** A builtin's error: the expression is undefined, or with strict builtin errors the query fails. */
    private Value builtinError(boolean type, Term.Call c, String name, String message) {
        if (opts.strict) {
            throw new RegoError(type ? "eval_type_error" : "eval_builtin_error", c.loc, name + ": " + message);
        }
        return null;
    }

    /** Counts bytes the evaluator (or its caller, for the results it will print) is about to allocate against the query's memory budget. */
    public void charge(long bytes) {
        bctx.charge(bytes);
    }

    private boolean walkAll(Value v, List<Value> path, VK k) {
        if (k.run(Value.arr(List.of(Value.arr(new ArrayList<>(path)), v)))) {
            return true;
        }
        return iterate(v, (key, child) -> {
            path.add(key);
            try {
                return walkAll(child, path, k);
            } finally {
                path.remove(path.size() - 1);
            }
        });
    }

    private boolean evalPrint(Term.Call c, Bindings b, VK k) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.args.size(); i++) {
            List<Value> vals = new ArrayList<>();
            try {
                evalTerm(c.args.get(i), b, v -> {
                    vals.add(v);
                    return false;
                });
            } catch (RegoError e) {
                if (!e.code().equals("rego_unsafe_var_error")) {
                    throw e;
                }
            }
            if (i > 0) {
                sb.append(' ');
            }
            if (vals.isEmpty()) {
                sb.append("<undefined>");
            } else {
                for (int j = 0; j < vals.size(); j++) {
                    if (j > 0) {
                        sb.append(' ');
                    }
                    Value v = vals.get(j);
                    sb.append(v instanceof Value.Str s ? s.value : v.toString());
                }
            }
        }
        opts.print.accept(sb.toString());
        return k.run(Value.bool(true));
    }

    private Value callFunction(RuleNode fn, Value[] args, Location loc) {
        List<Object> key = new ArrayList<>(args.length + 1);
        key.add(fn);
        for (Value a : args) {
            key.add(a);
        }
        Object cached = ctx.funcCache.get(key);
        if (cached != null) {
            return cached == UNDEF ? null : (Value) cached;
        }
        enter(loc);
        CRule saved = currentRule;
        Value[] result = new Value[1];
        try {
            for (CRule r : fn.funcs) {
                for (CRule c = r; c != null; c = c.elseRule) {
                    currentRule = c;
                    boolean[] any = new boolean[1];
                    Bindings b = new Bindings();
                    final CRule cr = c;
                    bindArgs(cr.args, args, 0, b, () -> evalBody(cr.body, 0, b, () -> values(cr.value, b, v -> {
                        any[0] = true;
                        if (result[0] == null) {
                            result[0] = v;
                        } else if (!result[0].equals(v)) {
                            throw new RegoError("eval_conflict_error", cr.src.loc,
                                    "function " + fn.pathText() + " produced conflicting values for the same inputs");
                        }
                        return false;
                    })));
                    if (any[0]) {
                        break;
                    }
                }
            }
            if (result[0] == null && fn.defaultFunc != null) {
                Bindings b = new Bindings();
                evalTerm(fn.defaultFunc.value, b, v -> {
                    result[0] = v;
                    return true;
                });
            }
        } finally {
            currentRule = saved;
            depth--;
        }
        ctx.funcCache.put(key, result[0] == null ? UNDEF : result[0]);
        return result[0];
    }

    private boolean bindArgs(List<Term> params, Value[] args, int i, Bindings b, K k) {
        if (i == params.size()) {
            return k.run();
        }
        return unifyValue(params.get(i), args[i], b, () -> bindArgs(params, args, i + 1, b, k));
    }

    // ================================================================== metadata

    private Value metadataRule() {
        if (currentRule == null || currentRule.src.annotations == null) {
            return Value.EMPTY_OBJECT;
        }
        Object c = currentRule.metaRule;
        if (c == null) {
            c = annotationValue(currentRule.src.annotations, "rule");
            currentRule.metaRule = c;
        }
        return (Value) c;
    }

    /** {@code name <email>}; RE2, as java.util.regex is quadratic on a long run of spaces here. */
    private static final com.google.re2j.Pattern AUTHOR = com.google.re2j.Pattern.compile("^(.*?)\\s*<([^>]+)>$");

    private static Value annotationValue(Map<String, Object> data, String scope) {
        Map<String, Object> m = new LinkedHashMap<>(data);
        m.putIfAbsent("scope", scope);
        if (m.get("authors") instanceof List<?> authors) {
            List<Object> norm = new ArrayList<>();
            for (Object a : authors) {
                if (a instanceof String str) {
                    com.google.re2j.Matcher mm = AUTHOR.matcher(str.trim());
                    Map<String, Object> o = new LinkedHashMap<>();
                    if (mm.matches()) {
                        if (!mm.group(1).isEmpty()) {
                            o.put("name", mm.group(1));
                        }
                        o.put("email", mm.group(2));
                    } else {
                        o.put("name", str.trim());
                    }
                    norm.add(o);
                } else {
                    norm.add(a);
                }
            }
            m.put("authors", norm);
        }
        if (m.get("related_resources") instanceof List<?> rr) {
            List<Object> norm = new ArrayList<>();
            for (Object a : rr) {
                norm.add(a instanceof String str ? Map.of("ref", str) : a);
            }
            m.put("related_resources", norm);
        }
        return Json.fromJson(Json.MAPPER.valueToTree(m));
    }

    private Value metadataChain() {
        if (currentRule == null) {
            return Value.EMPTY_ARRAY;
        }
        Object c = currentRule.metaChain;
        if (c == null) {
            c = computeChain();
            currentRule.metaChain = c;
        }
        return (Value) c;
    }

    /**
     * OPA's AnnotationSet.Chain: the rule (with its rule-scope annotations, if any), then the document-scope entry
     * of its path (declared above any rule of that name in the package), then the package entry, then the
     * subpackages entries from the closest package to the root.
     */
    private Value computeChain() {
        List<Value> out = new ArrayList<>();
        Module m = currentRule.src.module;
        List<Value> rulePath = new ArrayList<>(currentRule.node.path);
        LinkedHashMap<Value, Value> first = new LinkedHashMap<>();
        first.put(Value.str("path"), Value.arr(rulePath));
        if (currentRule.src.annotations != null) {
            first.put(Value.str("annotations"), annotationValue(currentRule.src.annotations, "rule"));
        }
        out.add(Value.obj(first));
        if (m == null) {
            return Value.arr(out);
        }
        List<String> pkg = m.pkg;
        Module.Annotation doc = null;
        List<Value> pkgEntries = new ArrayList<>();
        List<Map.Entry<Integer, Value>> subEntries = new ArrayList<>();
        for (Module mod : pol.modules) {
            for (Module.Annotation a : mod.annotations) {
                if (a.rule() != null) {
                    if (doc == null && a.scope().equals("document") && mod.pkg.equals(pkg)
                            && a.rule().name().equals(currentRule.src.name())) {
                        doc = a;
                    }
                    continue;
                }
                if (a.scope().equals("package") && mod.pkg.equals(pkg)) {
                    pkgEntries.add(packageEntry(mod, a));
                } else if (a.scope().equals("subpackages") && pkg.size() >= mod.pkg.size()
                        && pkg.subList(0, mod.pkg.size()).equals(mod.pkg)) {
                    subEntries.add(Map.entry(mod.pkg.size(), packageEntry(mod, a)));
                }
            }
        }
        if (doc != null) {
            LinkedHashMap<Value, Value> e = new LinkedHashMap<>();
            e.put(Value.str("path"), Value.arr(rulePath));
            e.put(Value.str("annotations"), annotationValue(doc.data(), "document"));
            out.add(Value.obj(e));
        }
        out.addAll(pkgEntries);
        subEntries.sort((x, y) -> Integer.compare(y.getKey(), x.getKey()));
        subEntries.forEach(e -> out.add(e.getValue()));
        return Value.arr(out);
    }

    private static Value packageEntry(Module mod, Module.Annotation a) {
        LinkedHashMap<Value, Value> e = new LinkedHashMap<>();
        e.put(Value.str("path"), Value.arr(mod.pkg.stream().map(s -> (Value) Value.str(s)).toList()));
        e.put(Value.str("annotations"), annotationValue(a.data(), a.scope()));
        return Value.obj(e);
    }

    /** Text of a value as printed by OPA (used by callers). */
    public static String text(Value v) {
        StringBuilder sb = new StringBuilder();
        ValueText.write(v, sb);
        return sb.toString();
    }
}
