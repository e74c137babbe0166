package dev.posture.rego.compiler;

import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Location;
import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import dev.posture.rego.ast.Vars;
import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Compiles parsed modules: resolves imports and rule references, scopes local variables, builds the rule tree,
 * reorders bodies for safety (reporting unsafe variables), and rejects recursion and unknown functions.
 */
public final class Compiler {
    /** Builtin lookup: arity (or -1 when unknown) and refusal reason (or null when allowed). */
    public interface Builtins {
        int arity(String name);

        String refused(String name);

        /** True for builtins whose result depends only on their arguments (false for custom/unknown ones). */
        default boolean deterministic(String name) {
            return false;
        }

        /** Operand type letters for compile-time checks of constant arguments, or null. */
        default String signature(String name) {
            return null;
        }
    }

    private final Builtins builtins;
    private int counter;
    private int nodeIds;

    public Compiler(Builtins builtins) {
        this.builtins = builtins;
    }

    // ===================================================================== modules

    private final Set<String> mockedNames = new HashSet<>();

    private void scanWiths(List<Expr> body) {
        for (Expr e : body) {
            for (Expr.With w : e.withs) {
                String n = Term.Call.opName(w.target());
                if (n != null) {
                    mockedNames.add(n);
                }
            }
            scanWiths(e.body);
            scanWithsTerm(e.term);
            scanWithsTerm(e.domain);
        }
    }

    private void scanWithsTerm(Term t) {
        if (t instanceof Term.Compr c) {
            scanWiths(c.body);
        } else if (t instanceof Term.Call c) {
            c.args.forEach(this::scanWithsTerm);
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(this::scanWithsTerm);
        } else if (t instanceof Term.ObjectT o) {
            o.values.forEach(this::scanWithsTerm);
        }
    }

    public CompiledPolicy compile(List<Module> modules) {
        for (Module m : modules) {
            for (Rule r : m.rules) {
                for (Rule c = r; c != null; c = c.elseRule) {
                    scanWiths(c.body);
                }
            }
        }
        RuleNode root = new RuleNode(List.of(), nodeIds++);
        // global rule names per package
        Map<List<String>, Set<String>> pkgRules = new HashMap<>();
        for (Module m : modules) {
            Set<String> names = pkgRules.computeIfAbsent(m.pkg, k -> new HashSet<>());
            for (Rule r : m.rules) {
                names.add(r.name());
            }
        }
        collectRuleNames(modules);
        List<Object[]> pending = new ArrayList<>(); // [CRule-building info]
        List<CRule> all = new ArrayList<>();
        for (Module m : modules) {
            // every declared package is a node, so an empty package still reads as {}
            RuleNode pn = root;
            for (String seg : m.pkg) {
                final RuleNode parent = pn;
                pn = pn.children.computeIfAbsent(Value.str(seg), k -> {
                    List<Value> np = new ArrayList<>(parent.path);
                    np.add(k);
                    return new RuleNode(np, nodeIds++);
                });
            }
            pn.pkg = true;
            Map<String, Term> globals = new HashMap<>();
            Location pl = m.pkgLoc;
            for (String n : pkgRules.get(m.pkg)) {
                globals.put(n, dataRef(pl, m.pkg, n));
            }
            Set<String> importNames = new HashSet<>();
            for (Module.Import imp : m.imports) {
                Term.Ref ref = imp.path();
                String iname = imp.name();
                if (m.v1 && !ref.headIs("future") && !ref.headIs("rego") && !importNames.add(iname)) {
                    throw new RegoError("rego_compile_error", imp.loc(), "import must not shadow import " + iname);
                }
                String head = ((Term.Var) ref.head).name;
                if (head.equals("future") || head.equals("rego")) {
                    continue;
                }
                if (imp.alias() == null && ref.path.isEmpty()) {
                    continue;
                }
                globals.put(imp.name(), ref.path.isEmpty() ? ref.head : ref);
            }
            for (Rule r : m.rules) {
                Rule rw = rewriteRule(r, globals);
                List<Value> prefix = new ArrayList<>(m.pkg.stream().map(s -> (Value) Value.str(s)).toList());
                prefix.add(Value.str(r.name()));
                int i = 1;
                List<Term> hp = rw.headPath;
                while (i < hp.size() && hp.get(i) instanceof Term.Scalar s) {
                    prefix.add(s.value);
                    i++;
                }
                if (r.kind == Rule.Kind.FUNCTION && i < hp.size()) {
                    throw new RegoError("rego_parse_error", r.loc, "function head refs must be ground");
                }
                RuleNode node = root;
                for (Value v : prefix) {
                    final RuleNode parent = node;
                    node = node.children.computeIfAbsent(v, k -> {
                        List<Value> np = new ArrayList<>(parent.path);
                        np.add(k);
                        return new RuleNode(np, nodeIds++);
                    });
                }
                if (r.kind == Rule.Kind.FUNCTION) {
                    node.declaredArity = r.args.size();
                }
                pending.add(new Object[] {rw, node, hp.subList(i, hp.size())});
            }
        }
        // now safety (needs arities of functions)
        this.rootForArity = root;
        for (Object[] pd : pending) {
            Rule rw = (Rule) pd[0];
            RuleNode node = (RuleNode) pd[1];
            @SuppressWarnings("unchecked")
            List<Term> suffix = (List<Term>) pd[2];
            CRule cr = compileRule(rw, node, suffix);
            if (rw.kind == Rule.Kind.FUNCTION) {
                if (rw.isDefault) {
                    node.defaultFunc = cr;
                } else {
                    if (!node.funcs.isEmpty() && node.funcs.get(0).args.size() != cr.args.size()) {
                        throw new RegoError("rego_type_error", rw.loc, "conflicting rules " + node.pathText() + " found");
                    }
                    node.funcs.add(cr);
                }
            } else if (rw.isDefault) {
                if (node.defaultRule != null) {
                    throw new RegoError("rego_type_error", rw.loc, "multiple default rules " + node.pathText() + " found");
                }
                node.defaultRule = cr;
            } else {
                node.rules.add(cr);
            }
            all.add(cr);
        }
        checkConflicts(root);
        checkRecursion(root);
        return new CompiledPolicy(root, modules, nodeIds);
    }

    private RuleNode rootForArity;

    private void collectRuleNames(List<Module> modules) {
        for (Module m : modules) {
            for (Rule r : m.rules) {
                if (r.headPath.size() == 1) {
                    String n = "data." + (m.pkg.isEmpty() ? "" : String.join(".", m.pkg) + ".") + r.name();
                    (r.kind == Rule.Kind.FUNCTION ? functionRules : valueRules).add(n);
                }
            }
        }
    }

    /**
     * Names of single-name rules that are not functions, and of functions. A call without arguments, {@code p()}, of
     * such a rule reads the rule's value: OPA evaluates it as a function of no arguments over the rule's bodies (its
     * type checker refuses the call only when it infers a single precise type for the rule; that check is not made).
     */
    private final Set<String> valueRules = new HashSet<>();
    private final Set<String> functionRules = new HashSet<>();

    private static Term.Ref dataRef(Location l, List<String> pkg, String name) {
        List<Term> path = new ArrayList<>();
        for (String s : pkg) {
            path.add(new Term.Scalar(l, Value.str(s)));
        }
        path.add(new Term.Scalar(l, Value.str(name)));
        return new Term.Ref(l, new Term.Var(l, "data"), path);
    }

    private void checkConflicts(RuleNode n) {
        if (n.isFunction() && n.hasRules()) {
            Location l = (n.rules.isEmpty() ? n.defaultRule : n.rules.get(0)).src.loc;
            throw new RegoError("rego_type_error", l, "conflicting rules " + n.pathText() + " found");
        }
        boolean multi = false;
        boolean single = false;
        boolean keyed = false;
        for (CRule r : n.rules) {
            if (r.suffix.isEmpty()) {
                if (r.isContains()) {
                    multi = true;
                } else {
                    single = true;
                }
            } else {
                keyed = true;
            }
        }
        // a complete rule or partial set (t := 1, t contains x) and a rule with a variable key (t[k] := v) at one path
        if (multi && single || keyed && (multi || single)) {
            throw new RegoError("rego_type_error", n.rules.get(0).src.loc, "conflicting rules " + n.pathText() + " found");
        }
        CRule ground = groundRule(n);
        if (ground != null) {
            // a rule whose ref is ground owns its whole document: no rules below it, no package at its path
            List<String> below = new ArrayList<>();
            for (RuleNode c : n.children.values()) {
                collectRulePaths(c, below);
            }
            if (!below.isEmpty()) {
                throw new RegoError("rego_type_error", ground.src.loc,
                        "rule " + n.pathText() + " conflicts with [" + String.join(" ", below) + "]");
            }
            if (n.pkg && ground.src.module != null && ground.src.module.pkg.size() < n.path.size()) {
                Module m = ground.src.module;
                throw new RegoError("rego_type_error", m.pkgLoc, "package " + String.join(".", pathStrings(n.path))
                        + " conflicts with rule " + headText(ground.src)
                        + " defined at " + ground.src.loc);
            }
        }
        for (RuleNode c : n.children.values()) {
            checkConflicts(c);
        }
    }

    private static CRule groundRule(RuleNode n) {
        for (CRule r : n.rules) {
            if (r.suffix.isEmpty()) {
                return r;
            }
        }
        if (n.defaultRule != null) {
            return n.defaultRule;
        }
        return n.funcs.isEmpty() ? null : n.funcs.get(0);
    }

    private static void collectRulePaths(RuleNode n, List<String> out) {
        if (n.hasRules() || n.isFunction()) {
            out.add(n.pathText());
        }
        for (RuleNode c : n.children.values()) {
            collectRulePaths(c, out);
        }
    }

    private static List<String> pathStrings(List<Value> path) {
        List<String> out = new ArrayList<>();
        for (Value v : path) {
            out.add(v instanceof Value.Str s ? s.value : v.toString());
        }
        return out;
    }

    private static String headText(Rule r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.headPath.size(); i++) {
            Term t = r.headPath.get(i);
            if (i == 0) {
                sb.append(((Term.Var) t).name);
            } else if (t instanceof Term.Scalar sc && sc.value instanceof Value.Str str && str.value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                sb.append('.').append(str.value);
            } else {
                sb.append('[').append(t).append(']');
            }
        }
        return sb.toString();
    }

    // ===================================================================== scoping / rewriting

    private static final class Scope {
        final Scope parent;
        final int depth;
        final Map<String, String> names = new HashMap<>();
        final Set<String> assigned = new HashSet<>();

        Scope(Scope parent, int depth) {
            this.parent = parent;
            this.depth = depth;
        }
    }

    private Map<String, Term> globals;

    public static int varDepth(String name) {
        int i = name.indexOf('%');
        if (i < 0) {
            return 0;
        }
        int j = name.indexOf('%', i + 1);
        return Integer.parseInt(name.substring(i + 1, j));
    }

    public static String displayName(String name) {
        int i = name.indexOf('%');
        String n = i < 0 ? name : name.substring(0, i);
        return n.startsWith("$_") ? "_" : n;
    }

    private String fresh(String name, int depth) {
        return name + "%" + depth + "%" + (counter++);
    }

    private boolean rewriteV1;

    private Rule rewriteRule(Rule r, Map<String, Term> globals) {
        this.globals = globals;
        this.rewriteV1 = r.module != null && r.module.v1;
        Scope s = new Scope(null, 0);
        Set<String> declared = new HashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Term a : r.args) {
            collectVars(a, declared);
        }
        for (String d : declared) {
            s.names.put(d, d);
        }
        Set<String> bodyDeclared = new HashSet<>();
        collectLevel(r.body, bodyDeclared, seen);
        for (String n : seen) {
            if (!s.names.containsKey(n) && !isGlobal(n) && !bodyDeclared.contains(n)) {
                s.names.put(n, n);
            }
        }
        List<Expr> body = rwBody(r.body, s);
        Set<String> headSeen = new LinkedHashSet<>();
        for (int i = 1; i < r.headPath.size(); i++) {
            collectVars(r.headPath.get(i), headSeen);
        }
        if (r.value != null) {
            collectVarsNoCompr(r.value, headSeen);
        }
        for (String n : headSeen) {
            if (!s.names.containsKey(n) && !isGlobal(n)) {
                s.names.put(n, n);
            }
        }
        List<Term> head = new ArrayList<>();
        head.add(r.headPath.get(0));
        for (int i = 1; i < r.headPath.size(); i++) {
            head.add(rw(r.headPath.get(i), s));
        }
        List<Term> args = new ArrayList<>();
        for (Term a : r.args) {
            args.add(rw(a, s));
        }
        Term value = r.value == null ? null : rw(r.value, s);
        Rule elseRule = r.elseRule == null ? null : rewriteRule(r.elseRule, globals);
        this.globals = globals;
        return r.with(head, args, value, body, elseRule);
    }

    /** Rewrites a query body (depth 0, no package globals). */
    public List<Expr> rewriteQuery(List<Expr> body) {
        this.globals = new HashMap<>();
        Scope s = new Scope(null, 0);
        Set<String> declared = new HashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        collectLevel(body, declared, seen);
        for (String n : seen) {
            if (!isGlobal(n) && !declared.contains(n)) {
                s.names.put(n, n);
            }
        }
        return rwBody(body, s);
    }

    private boolean isGlobal(String n) {
        return globals.containsKey(n) || n.equals("input") || n.equals("data");
    }

    /** Collects vars at this level: declared (:=, some) and all seen, not descending into closures. */
    private void collectLevel(List<Expr> body, Set<String> declared, Set<String> seen) {
        for (Expr e : body) {
            switch (e.kind) {
                case SOME_DECL -> e.vars.forEach(v -> declared.add(v.name));
                case SOME_IN -> {
                    if (e.key != null) {
                        collectVars(e.key, declared);
                    }
                    collectVars(e.value, declared);
                    collectVarsNoCompr(e.domain, seen);
                }
                case EVERY -> collectVarsNoCompr(e.domain, seen);
                case TERM -> {
                    if (e.term instanceof Term.Call c && "assign".equals(c.name()) && c.args.size() == 2) {
                        collectVars(c.args.get(0), declared);
                        collectVarsNoCompr(c.args.get(1), seen);
                    } else {
                        collectVarsNoCompr(e.term, seen);
                    }
                }
            }
            for (Expr.With w : e.withs) {
                collectVarsNoCompr(w.value(), seen);
            }
        }
    }

    private static void collectVars(Term t, Set<String> out) {
        collectVarsNoCompr(t, out);
    }

    private static void collectVarsNoCompr(Term t, Set<String> out) {
        if (t instanceof Term.Var v) {
            out.add(v.name);
        } else if (t instanceof Term.Ref r) {
            collectVarsNoCompr(r.head, out);
            for (Term p : r.path) {
                collectVarsNoCompr(p, out);
            }
        } else if (t instanceof Term.Call c) {
            if (!(c.op instanceof Term.Var)) {
                // op ref head var counts (e.g. lib.f) only for resolution; skip
            }
            for (Term a : c.args) {
                collectVarsNoCompr(a, out);
            }
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(i -> collectVarsNoCompr(i, out));
        } else if (t instanceof Term.SetT a) {
            a.items.forEach(i -> collectVarsNoCompr(i, out));
        } else if (t instanceof Term.ObjectT o) {
            o.keys.forEach(i -> collectVarsNoCompr(i, out));
            o.values.forEach(i -> collectVarsNoCompr(i, out));
        }
    }

    private List<Expr> rwBody(List<Expr> body, Scope s) {
        List<Expr> out = new ArrayList<>(body.size());
        for (Expr e : body) {
            Set<String> decl = new HashSet<>();
            collectLevel(List.of(e), decl, new HashSet<>());
            if (e.kind == Expr.Kind.TERM && e.term instanceof Term.Call ac && "assign".equals(ac.name()) && ac.args.size() == 2) {
                Set<String> lhs = new HashSet<>();
                collectVars(ac.args.get(0), lhs);
                for (String v : lhs) {
                    if (rewriteV1 && (v.equals("input") || v.equals("data"))) {
                        throw new RegoError("rego_compile_error", e.loc, "variables must not shadow " + v
                                + " (use a different variable name)");
                    }
                    if (!v.startsWith("$_") && !s.assigned.add(v)) {
                        throw new RegoError("rego_compile_error", e.loc, "var " + v + " assigned above");
                    }
                }
            }
            for (String d : decl) {
                if (!s.names.containsKey(d)) {
                    s.names.put(d, s.depth == 0 ? d : fresh(d, s.depth));
                }
            }
            out.add(rwExpr(e, s));
        }
        return out;
    }

    private List<Expr.With> rwWiths(List<Expr.With> ws, Scope s) {
        if (ws.isEmpty()) {
            return ws;
        }
        List<Expr.With> out = new ArrayList<>();
        for (Expr.With w : ws) {
            Term target = rwTarget(w.target());
            if (!validWithTarget(target)) {
                throw new RegoError("rego_type_error", w.loc(),
                        "with keyword target must reference existing input, data, or a function");
            }
            out.add(new Expr.With(w.loc(), target, rw(w.value(), s)));
        }
        return out;
    }

    /** A with target is input or data (or a ref below them) or names a builtin function. */
    private boolean validWithTarget(Term t) {
        if (t instanceof Term.Var v) {
            return v.name.equals("input") || v.name.equals("data") || builtins.arity(v.name) != -1;
        }
        if (t instanceof Term.Ref r && r.head instanceof Term.Var hv) {
            if (hv.name.equals("input") || hv.name.equals("data")) {
                return true;
            }
            String n = Term.Call.opName(r);
            return n != null && builtins.arity(n) != -1;
        }
        return false;
    }

    private Term rwTarget(Term t) {
        Term head = t instanceof Term.Ref r ? r.head : t;
        if (head instanceof Term.Var v && globals.containsKey(v.name)) {
            Term g = globals.get(v.name);
            if (t instanceof Term.Ref r) {
                return concat(g, r.path, r.loc);
            }
            return g;
        }
        return t;
    }

    private static Term concat(Term g, List<Term> path, Location loc) {
        if (g instanceof Term.Ref gr) {
            List<Term> np = new ArrayList<>(gr.path);
            np.addAll(path);
            return new Term.Ref(loc, gr.head, np);
        }
        return path.isEmpty() ? g : new Term.Ref(loc, g, path);
    }

    private Expr rwExpr(Expr e, Scope s) {
        List<Expr.With> ws = rwWiths(e.withs, s);
        switch (e.kind) {
            case SOME_DECL -> {
                List<Term.Var> vars = new ArrayList<>();
                for (Term.Var v : e.vars) {
                    vars.add((Term.Var) rw(v, s));
                }
                Expr ne = new Expr(e.loc, Expr.Kind.SOME_DECL, false, null, vars, null, null, null, null, ws);
                ne.text = e.text;
                return ne;
            }
            case SOME_IN -> {
                return e.copy(false, null, e.key == null ? null : rw(e.key, s), rw(e.value, s), rw(e.domain, s), null, ws);
            }
            case EVERY -> {
                Term dom = rw(e.domain, s);
                Scope ns = new Scope(s, s.depth + 1);
                Set<String> declared = new HashSet<>();
                Set<String> seen = new LinkedHashSet<>();
                if (e.key != null) {
                    collectVars(e.key, declared);
                }
                collectVars(e.value, declared);
                collectLevel(e.body, declared, seen);
                declareNested(ns, declared, seen);
                Set<String> kv = new HashSet<>();
                if (e.key != null) {
                    collectVars(e.key, kv);
                }
                collectVars(e.value, kv);
                for (String d : kv) {
                    ns.names.put(d, fresh(d, ns.depth));
                }
                Term key = e.key == null ? null : rw(e.key, ns);
                Term val = rw(e.value, ns);
                List<Expr> body = rwBody(e.body, ns);
                return e.copy(false, null, key, val, dom, body, ws);
            }
            default -> {
                return e.copy(e.negated, rw(e.term, s), null, null, null, null, ws);
            }
        }
    }

    private void declareNested(Scope ns, Set<String> declared, Set<String> seen) {
        for (String n : seen) {
            if (ns.names.containsKey(n) || declared.contains(n)) {
                continue;
            }
            if (n.startsWith("$_")) {
                ns.names.put(n, fresh(n, ns.depth));
                continue;
            }
            if (resolvesOuter(ns.parent, n) || isGlobal(n)) {
                continue;
            }
            ns.names.put(n, fresh(n, ns.depth));
        }
    }

    private static boolean resolvesOuter(Scope s, String n) {
        for (Scope c = s; c != null; c = c.parent) {
            if (c.names.containsKey(n)) {
                return true;
            }
        }
        return false;
    }

    private Term resolveVar(Term.Var v, Scope s) {
        for (Scope c = s; c != null; c = c.parent) {
            String m = c.names.get(v.name);
            if (m != null) {
                return m.equals(v.name) ? v : new Term.Var(v.loc, m);
            }
        }
        if (v.name.equals("input")) {
            return new Term.Ref(v.loc, v, List.of());
        }
        Term g = globals.get(v.name);
        if (g != null) {
            return g instanceof Term.Ref gr ? new Term.Ref(v.loc, gr.head, gr.path) : g;
        }
        return v;
    }

    private Term rw(Term t, Scope s) {
        if (t instanceof Term.Var v) {
            return resolveVar(v, s);
        } else if (t instanceof Term.Ref r) {
            List<Term> path = new ArrayList<>(r.path.size());
            for (Term p : r.path) {
                path.add(rw(p, s));
            }
            Term head = r.head instanceof Term.Var hv ? resolveVar(hv, s) : rw(r.head, s);
            if (head instanceof Term.Ref hr) {
                return concat(hr, path, r.loc);
            }
            return new Term.Ref(r.loc, head, path);
        } else if (t instanceof Term.Call c) {
            List<Term> args = new ArrayList<>(c.args.size());
            for (Term a : c.args) {
                args.add(rw(a, s));
            }
            Term op = c.op;
            Term head = op instanceof Term.Ref r ? r.head : op;
            if (head instanceof Term.Var hv && globals.containsKey(hv.name) && !resolvesOuter(s, hv.name)) {
                op = rwTarget(op);
            }
            if (args.isEmpty() && op instanceof Term.Ref or && or.headIs("data")) {
                String n = Term.Call.opName(or);
                if (n != null && valueRules.contains(n) && !functionRules.contains(n)) {
                    return new Term.Ref(c.loc, or.head, or.path);
                }
            }
            return new Term.Call(c.loc, op, args);
        } else if (t instanceof Term.ArrayT a) {
            return new Term.ArrayT(a.loc, a.items.stream().map(i -> rw(i, s)).toList());
        } else if (t instanceof Term.SetT a) {
            return new Term.SetT(a.loc, a.items.stream().map(i -> rw(i, s)).toList());
        } else if (t instanceof Term.ObjectT o) {
            return new Term.ObjectT(o.loc, o.keys.stream().map(i -> rw(i, s)).toList(),
                    o.values.stream().map(i -> rw(i, s)).toList());
        } else if (t instanceof Term.Compr c) {
            Scope ns = new Scope(s, s.depth + 1);
            Set<String> declared = new HashSet<>();
            Set<String> seen = new LinkedHashSet<>();
            collectLevel(c.body, declared, seen);
            if (c.key != null) {
                collectVarsNoCompr(c.key, seen);
            }
            collectVarsNoCompr(c.head, seen);
            declareNested(ns, declared, seen);
            List<Expr> body = rwBody(c.body, ns);
            return new Term.Compr(c.loc, c.kind, c.key == null ? null : rw(c.key, ns), rw(c.head, ns), body);
        }
        return t;
    }

    // ===================================================================== safety

    private static final Set<String> DEPRECATED = Set.of("any", "all", "re_match", "set_diff", "net.cidr_overlap",
            "cast_array", "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object");

    /** True while compiling a rule of a Rego v1 module (deprecated builtins are refused there, as in OPA 1.x). */
    private boolean strictV1;

    /** True while compiling a rule of a module importing future.keywords.not (no call hoisting out of negations). */
    private boolean wholeNegation;

    private CRule compileRule(Rule r, RuleNode node, List<Term> suffix) {
        strictV1 = r.module != null && r.module.v1;
        wholeNegation = r.module != null && r.module.wholeNegation;
        Set<String> safe = new HashSet<>();
        for (Term a : r.args) {
            Set<String> in = new HashSet<>();
            Set<String> out = new HashSet<>();
            termVars(a, 0, in, out, true);
            safe.addAll(out);
            safe.addAll(in);
        }
        List<Expr> body = reorder(r.body, 0, safe);
        // head safety
        List<Term> headTerms = new ArrayList<>(suffix);
        if (r.value != null) {
            headTerms.add(r.value);
        }
        for (Term h : headTerms) {
            Set<String> in = new LinkedHashSet<>();
            Set<String> out = new LinkedHashSet<>();
            termVars(h, 0, in, out, false);
            for (String v : in) {
                if (!safe.contains(v)) {
                    throw unsafe(h.loc, v);
                }
            }
        }
        Term value = r.value == null ? null : reorderNested(r.value, 0, safe);
        List<Term> sfx = new ArrayList<>();
        for (Term t : suffix) {
            sfx.add(reorderNested(t, 0, safe));
        }
        CRule elseRule = r.elseRule == null ? null : compileRule(r.elseRule, node, suffix);
        return new CRule(r, node, List.copyOf(sfx), r.args, value, body, elseRule);
    }

    /** Compiles a query body: rewrite, safety reorder. */
    public List<Expr> compileQuery(List<Expr> body, CompiledPolicy pol) {
        this.rootForArity = pol.root;
        collectRuleNames(pol.modules);
        this.strictV1 = false;
        this.wholeNegation = false;
        List<Expr> rw = rewriteQuery(body);
        return reorder(rw, 0, new HashSet<>());
    }

    private static RegoError unsafe(Location l, String v) {
        return new RegoError("rego_unsafe_var_error", l, "var " + displayName(v) + " is unsafe");
    }

    private static boolean isSafe(String v, Set<String> safe, int depth) {
        return varDepth(v) < depth || safe.contains(v);
    }

    private record Info(Set<String> in, Set<String> out, Term ua, Term ub) {
    }

    private int arityOf(Term.Call c) {
        String name = c.name();
        if (name == null) {
            return -1;
        }
        if (name.startsWith("data.") && c.op instanceof Term.Ref r) {
            RuleNode n = rootForArity;
            for (Term p : r.path) {
                n = n == null ? null : n.children.get(((Term.Scalar) p).value);
            }
            if (n != null && n.declaredArity >= 0) {
                return n.declaredArity;
            }
            if (n == null || !n.isFunction()) {
                if (n == null || !n.hasRules()) {
                    throw new RegoError("rego_type_error", c.loc, "undefined function " + name);
                }
                return -1;
            }
            return n.arity();
        }
        if (strictV1 && DEPRECATED.contains(name)) {
            throw new RegoError("rego_type_error", c.loc, "deprecated built-in function calls in expression: " + name);
        }
        String refused = builtins.refused(name);
        if (refused != null && !mockedNames.contains(name)) {
            throw new RegoError("rego_type_error", c.loc, refused);
        }
        int a = builtins.arity(name);
        if (a == -1 && (name.equals("eq") || name.equals("assign"))) {
            a = 2; // the operators = and :=, which may also be written as calls
        }
        if (a == -2) {
            return -1; // variadic
        }
        if (a < 0) {
            throw new RegoError("rego_type_error", c.loc, "undefined function " + name);
        }
        return a;
    }

    /**
     * Operand types of collection builtins that OPA's type checker rejects for constant operands: each entry lists,
     * per operand, the accepted literal kinds ("" for any) and the kind its elements must have ("" for any).
     */
    private static final Map<String, String[][]> COLLECTION_SIGS = Map.of(
            "count", new String[][] {{"string array object set", ""}},
            "sum", new String[][] {{"array set", "number"}},
            "product", new String[][] {{"array set", "number"}},
            "max", new String[][] {{"array set", ""}},
            "min", new String[][] {{"array set", ""}},
            "sort", new String[][] {{"array set", ""}},
            "concat", new String[][] {{"string", ""}, {"array set", "string"}});

    /** Literal terms whose types can never unify (OPA's checker reports a "match error" at compile time). */
    private static boolean cannotUnify(Term a, Term b) {
        String ka = unifyKind(a);
        String kb = unifyKind(b);
        if (ka == null || kb == null) {
            return false;
        }
        if (!ka.equals(kb)) {
            return true;
        }
        if (a instanceof Term.ArrayT x && b instanceof Term.ArrayT y) {
            if (x.items.size() != y.items.size()) {
                return true;
            }
            for (int i = 0; i < x.items.size(); i++) {
                if (cannotUnify(x.items.get(i), y.items.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String unifyKind(Term a) {
        if (a instanceof Term.Compr c) {
            return c.kind == Term.Compr.Kind.ARRAY ? "array" : c.kind == Term.Compr.Kind.SET ? "set" : "object";
        }
        return literalKind(a);
    }

    private static String literalKind(Term a) {
        if (a instanceof Term.Scalar s) {
            return s.value.typeName();
        }
        return a instanceof Term.ArrayT ? "array" : a instanceof Term.ObjectT ? "object" : a instanceof Term.SetT ? "set" : null;
    }

    private void typeCheckCollections(Term.Call c, String name) {
        String[][] sig = COLLECTION_SIGS.get(name);
        if (sig == null || builtins.arity(name) == -1) {
            return;
        }
        for (int i = 0; i < Math.min(sig.length, c.args.size()); i++) {
            Term a = c.args.get(i);
            String kind = literalKind(a);
            if (kind == null) {
                continue;
            }
            if (!(" " + sig[i][0] + " ").contains(" " + kind + " ")) {
                throw new RegoError("rego_type_error", c.loc, name + ": invalid argument(s): operand " + (i + 1) + " must be one of {"
                        + sig[i][0].replace(" ", ", ") + "} but got " + kind);
            }
            List<Term> items = a instanceof Term.ArrayT arr ? arr.items : a instanceof Term.SetT set ? set.items : List.of();
            for (Term item : items) {
                String ik = literalKind(item);
                if (!sig[i][1].isEmpty() && ik != null && !ik.equals(sig[i][1])) {
                    throw new RegoError("rego_type_error", c.loc, name + ": invalid argument(s): operand " + (i + 1)
                            + " must be a collection of " + sig[i][1] + " but has an element of type " + ik);
                }
            }
        }
    }

    private void typeCheck(Term.Call c) {
        String name = c.name();
        if (name != null && !name.startsWith("data.") && !mockedNames.contains(name)) {
            typeCheckCollections(c, name);
        }
        String sig = name == null || name.startsWith("data.") ? null : builtins.signature(name);
        if (sig == null) {
            return;
        }
        for (int i = 0; i < Math.min(sig.length(), c.args.size()); i++) {
            Term a = c.args.get(i);
            String got = null;
            if (a instanceof Term.Scalar s) {
                got = s.value.typeName();
            } else if (a instanceof Term.ArrayT) {
                got = "array";
            } else if (a instanceof Term.ObjectT) {
                got = "object";
            } else if (a instanceof Term.SetT) {
                got = "set";
            }
            if (got == null) {
                continue;
            }
            String want = switch (sig.charAt(i)) {
                case 's' -> "string";
                case 'n' -> "number";
                case 'a' -> "array";
                case 'o' -> "object";
                default -> null;
            };
            if (want != null && !want.equals(got)) {
                throw new RegoError("rego_type_error", c.loc, name + ": invalid argument(s): operand " + (i + 1) + " must be " + want
                        + " but got " + got);
            }
        }
    }

    private Info info(Expr e, int depth) {
        Set<String> in = new LinkedHashSet<>();
        Set<String> out = new LinkedHashSet<>();
        Term ua = null;
        Term ub = null;
        switch (e.kind) {
            case SOME_DECL -> {
            }
            case SOME_IN -> {
                termVars(e.domain, depth, in, out, false);
                if (e.key != null) {
                    termVars(e.key, depth, in, out, true);
                }
                termVars(e.value, depth, in, out, true);
            }
            case EVERY -> {
                termVars(e.domain, depth, in, out, false);
                Set<String> inner = new LinkedHashSet<>();
                for (Expr be : e.body) {
                    Vars.of(be, inner);
                }
                if (e.key != null) {
                    collectVarsNoCompr(e.key, inner);
                }
                collectVarsNoCompr(e.value, inner);
                for (String v : inner) {
                    if (varDepth(v) <= depth && !isRoot(v)) {
                        in.add(v);
                    }
                }
            }
            case TERM -> {
                Term t = e.term;
                if (t instanceof Term.Call c && ("eq".equals(c.name()) || "assign".equals(c.name())) && c.args.size() == 2) {
                    if (cannotUnify(c.args.get(0), c.args.get(1))) {
                        throw new RegoError("rego_type_error", e.loc, "match error");
                    }
                    termVars(c.args.get(0), depth, in, out, true);
                    termVars(c.args.get(1), depth, in, out, true);
                    ua = c.args.get(0);
                    ub = c.args.get(1);
                } else if (t instanceof Term.Call c) {
                    int ar = arityOf(c);
                    typeCheck(c);
                    for (int i = 0; i < c.args.size(); i++) {
                        termVars(c.args.get(i), depth, in, out, ar >= 0 && i == ar);
                    }
                    if (ar >= 0 && c.args.size() > ar + 1) {
                        throw new RegoError("rego_type_error", c.loc, c.name() + ": arity mismatch: too many arguments");
                    }
                    if (ar >= 0 && c.args.size() < ar && !c.name().equals("print")) {
                        throw new RegoError("rego_type_error", c.loc, c.name() + ": arity mismatch: too few arguments");
                    }
                } else {
                    termVars(t, depth, in, out, false);
                }
            }
        }
        for (Expr.With w : e.withs) {
            if (!namesFunction(w.value())) {
                termVars(w.value(), depth, in, out, false);
            }
        }
        if (e.negated) {
            // vars of a negated expression must be bound before it (wildcards stay local to it)
            for (String v : out) {
                if (!v.startsWith("$_")) {
                    in.add(v);
                }
            }
            out.clear();
            // pattern vars in a negated unification must be bound already
            if (ua != null) {
                Set<String> pv = new LinkedHashSet<>();
                patternVars(ua, pv);
                patternVars(ub, pv);
                in.addAll(pv);
                ua = null;
                ub = null;
            }
        }
        return new Info(in, out, ua, ub);
    }

    private boolean namesFunction(Term t) {
        if (t instanceof Term.Var v && varDepth(v.name) == 0 && builtins.arity(v.name) != -1) {
            return true;
        }
        if (t instanceof Term.Ref r && r.head instanceof Term.Var hv && !isRoot(hv.name)) {
            String n = Term.Call.opName(r);
            return n != null && builtins.arity(n) != -1;
        }
        return false;
    }

    private static boolean isRoot(String n) {
        return n.equals("data") || n.equals("input");
    }

    /** in: vars that must be bound; out: vars bound by iteration (refs) or pattern positions. */
    private void termVars(Term t, int depth, Set<String> in, Set<String> out, boolean pattern) {
        if (t instanceof Term.Var v) {
            if (isRoot(v.name)) {
                return;
            }
            (pattern ? out : in).add(v.name);
        } else if (t instanceof Term.Ref r) {
            if (r.head instanceof Term.Var hv) {
                if (!isRoot(hv.name)) {
                    in.add(hv.name);
                }
            } else {
                termVars(r.head, depth, in, out, false);
            }
            for (Term p : r.path) {
                if (p instanceof Term.Var pv) {
                    out.add(pv.name);
                } else if (p instanceof Term.ArrayT || p instanceof Term.ObjectT || p instanceof Term.SetT) {
                    termVars(p, depth, in, out, true);
                } else {
                    termVars(p, depth, in, out, false);
                }
            }
        } else if (t instanceof Term.Call c) {
            int ar = arityOf(c);
            if (ar >= 0 && c.args.size() != ar && !"print".equals(c.name())) {
                throw new RegoError("rego_type_error", c.loc, c.name() + ": arity mismatch: have " + c.args.size()
                        + " arguments, want " + ar);
            }
            typeCheck(c);
            for (Term a : c.args) {
                termVars(a, depth, in, out, false);
            }
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(i -> termVars(i, depth, in, out, pattern));
        } else if (t instanceof Term.SetT a) {
            a.items.forEach(i -> termVars(i, depth, in, out, false));
        } else if (t instanceof Term.ObjectT o) {
            o.keys.forEach(i -> termVars(i, depth, in, out, false));
            o.values.forEach(i -> termVars(i, depth, in, out, pattern));
        } else if (t instanceof Term.Compr c) {
            Set<String> all = new LinkedHashSet<>();
            Vars.of(c, all);
            for (String v : all) {
                if (varDepth(v) <= depth && !isRoot(v)) {
                    in.add(v);
                }
            }
        }
    }

    private static void patternVars(Term t, Set<String> out) {
        if (t instanceof Term.Var v) {
            if (!isRoot(v.name)) {
                out.add(v.name);
            }
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(i -> patternVars(i, out));
        } else if (t instanceof Term.ObjectT o) {
            o.values.forEach(i -> patternVars(i, out));
        }
    }

    private static boolean groundUnder(Term t, Set<String> s, int depth) {
        Set<String> pv = new HashSet<>();
        patternVars(t, pv);
        for (String v : pv) {
            if (!isSafe(v, s, depth)) {
                return false;
            }
        }
        return true;
    }

    private static void unifyOutputs(Term a, Term b, Set<String> s, int depth, Set<String> res) {
        if (a instanceof Term.Var va && !isRoot(va.name) && !isSafe(va.name, s, depth)) {
            if (groundUnder(b, s, depth)) {
                res.add(va.name);
            }
        } else if (b instanceof Term.Var vb && !isRoot(vb.name) && !isSafe(vb.name, s, depth)) {
            if (groundUnder(a, s, depth)) {
                res.add(vb.name);
            }
        } else if (a instanceof Term.ArrayT aa && b instanceof Term.ArrayT ba && aa.items.size() == ba.items.size()) {
            for (int i = 0; i < aa.items.size(); i++) {
                unifyOutputs(aa.items.get(i), ba.items.get(i), s, depth, res);
            }
        } else if (a instanceof Term.ObjectT ao && b instanceof Term.ObjectT bo) {
            for (int i = 0; i < ao.keys.size(); i++) {
                for (int j = 0; j < bo.keys.size(); j++) {
                    if (ao.keys.get(i).toString().equals(bo.keys.get(j).toString())) {
                        unifyOutputs(ao.values.get(i), bo.values.get(j), s, depth, res);
                    }
                }
            }
        } else if (groundUnder(b, s, depth)) {
            patternVars(a, res);
        } else if (groundUnder(a, s, depth)) {
            patternVars(b, res);
        }
    }

    private boolean ready(Info inf, Set<String> safe, int depth, Set<String> newlyBound) {
        for (String v : inf.in) {
            if (!isSafe(v, safe, depth)) {
                return false;
            }
        }
        newlyBound.clear();
        if (inf.ua != null) {
            // the safe set plus what this unification binds, without copying the safe set (which grows with the
            // body: a copy per expression made long bodies quadratic to compile)
            Set<String> extra = new HashSet<>(inf.out);
            Set<String> s = new java.util.AbstractSet<>() {
                @Override
                public boolean contains(Object o) {
                    return safe.contains(o) || extra.contains(o);
                }

                @Override
                public java.util.Iterator<String> iterator() {
                    throw new UnsupportedOperationException("membership view only");
                }

                @Override
                public int size() {
                    return safe.size() + extra.size();
                }
            };
            // iterate to fixpoint
            while (true) {
                Set<String> res = new HashSet<>();
                unifyOutputs(inf.ua, inf.ub, s, depth, res);
                boolean grew = false;
                for (String v : res) {
                    grew |= !safe.contains(v) && extra.add(v);
                }
                if (!grew) {
                    break;
                }
            }
            Set<String> pv = new HashSet<>();
            patternVars(inf.ua, pv);
            patternVars(inf.ub, pv);
            for (String v : pv) {
                if (!isSafe(v, s, depth)) {
                    return false;
                }
            }
            newlyBound.addAll(extra);
            return true;
        }
        newlyBound.addAll(inf.out);
        return true;
    }

    private List<Expr> reorder(List<Expr> body, int depth, Set<String> safe) {
        List<Expr> remaining = hoistNegatedCalls(body, depth);
        List<Info> infos = new ArrayList<>();
        for (Expr e : remaining) {
            infos.add(info(e, depth));
        }
        List<Expr> out = new ArrayList<>();
        Set<String> nb = new HashSet<>();
        while (!remaining.isEmpty()) {
            boolean progressed = false;
            for (int i = 0; i < remaining.size(); i++) {
                Info inf = infos.get(i);
                if (ready(inf, safe, depth, nb)) {
                    Expr e = remaining.remove(i);
                    infos.remove(i);
                    // negated expressions do not bind
                    if (!e.negated) {
                        safe.addAll(nb);
                    }
                    out.add(e);
                    progressed = true;
                    break;
                }
            }
            if (!progressed && hoistRefArgs(remaining, infos, safe, depth)) {
                continue;
            }
            if (!progressed) {
                Expr e = remaining.get(0);
                Info inf = infos.get(0);
                Set<String> all = new LinkedHashSet<>(inf.in);
                if (inf.ua != null) {
                    patternVars(inf.ua, all);
                    patternVars(inf.ub, all);
                }
                for (String v : all) {
                    if (!isSafe(v, safe, depth)) {
                        throw unsafe(e.loc, v);
                    }
                }
                throw unsafe(e.loc, all.isEmpty() ? "?" : all.iterator().next());
            }
        }
        // nested bodies
        List<Expr> fin = new ArrayList<>(out.size());
        Set<String> s2 = new HashSet<>(safe);
        for (Expr e : out) {
            fin.add(reorderNestedExpr(e, depth, s2));
        }
        return fin;
    }

    /**
     * OPA evaluates calls nested in the operands of a negated expression before the negation (its compiler moves
     * them into expressions of their own), so {@code not input.x + 1 == 2} is undefined, not true, when input.x is
     * missing. The top-level call of the expression stays inside the negation. Modules importing
     * {@code future.keywords.not} opt out: there the whole expression is negated.
     */
    private List<Expr> hoistNegatedCalls(List<Expr> body, int depth) {
        if (wholeNegation) {
            return new ArrayList<>(body);
        }
        List<Expr> out = null;
        for (int i = 0; i < body.size(); i++) {
            Expr e = body.get(i);
            if (!e.negated || e.kind != Expr.Kind.TERM) {
                if (out != null) {
                    out.add(e);
                }
                continue;
            }
            List<Expr> extras = new ArrayList<>();
            Term t = e.term;
            if (t instanceof Term.Call c) {
                List<Term> args = new ArrayList<>(c.args.size());
                for (Term a : c.args) {
                    args.add(hoistCalls(a, extras, depth, e.withs));
                }
                t = extras.isEmpty() ? c : new Term.Call(c.loc, c.op, args);
            } else {
                t = hoistCalls(t, extras, depth, e.withs);
            }
            t = hoistDynamics(t, extras, depth, e.withs);
            if (extras.isEmpty() && out == null) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(body.subList(0, i));
            }
            out.addAll(extras);
            out.add(extras.isEmpty() ? e : e.withTerm(t));
        }
        return out == null ? new ArrayList<>(body) : out;
    }

    /**
     * OPA's compiler then binds the dynamic terms of the (negated) expression to variables in front of it
     * ({@code rewriteDynamics}, OPA issues 1877, 4743, 8387): every ref among the arguments of a call other than
     * {@code =}/{@code ==} (also inside array, set and object arguments), and refs used as keys inside a ref. So
     * {@code not f(input.x)}, {@code not "a" in input.xs} and {@code not obj[input.k]} are undefined, not true, when
     * the hoisted ref is undefined, while {@code not input.x}, {@code not input.x == 1} stay whole.
     */
    private Term hoistDynamics(Term t, List<Expr> extras, int depth, List<Expr.With> withs) {
        if (t instanceof Term.Call c) {
            boolean equality = c.args.size() == 2 && ("eq".equals(c.name()) || "equal".equals(c.name()));
            List<Term> args = new ArrayList<>(c.args.size());
            boolean changed = false;
            for (Term a : c.args) {
                Term n = equality ? dynamicsIn(a, extras, depth, withs) : dynamicsOne(a, extras, depth, withs);
                changed |= n != a;
                args.add(n);
            }
            return changed ? new Term.Call(c.loc, c.op, args) : c;
        }
        return dynamicsIn(t, extras, depth, withs);
    }

    /** OPA's {@code rewriteDynamicsInTerm}: a ref keeps its place but its key terms are rewritten. */
    private Term dynamicsIn(Term t, List<Expr> extras, int depth, List<Expr.With> withs) {
        if (t instanceof Term.Ref r) {
            return dynamicsInPath(r, extras, depth, withs);
        }
        if (t instanceof Term.Compr) {
            return t;
        }
        return dynamicsOne(t, extras, depth, withs);
    }

    private Term.Ref dynamicsInPath(Term.Ref r, List<Expr> extras, int depth, List<Expr.With> withs) {
        List<Term> path = mapAll(r.path, p -> dynamicsOne(p, extras, depth, withs));
        return path == r.path ? r : new Term.Ref(r.loc, r.head, path);
    }

    /** OPA's {@code rewriteDynamicsOne}: a ref is bound to a fresh variable first; collections are searched. */
    private Term dynamicsOne(Term t, List<Expr> extras, int depth, List<Expr.With> withs) {
        if (t instanceof Term.Ref r) {
            Term.Ref nr = dynamicsInPath(r, extras, depth, withs);
            Term.Var v = new Term.Var(r.loc, fresh("$ref", depth));
            extras.add(Expr.term(r.loc, false, new Term.Call(r.loc, new Term.Var(r.loc, "eq"), List.of(v, nr)), withs));
            return v;
        }
        return mapComposite(t, x -> dynamicsOne(x, extras, depth, withs));
    }

    /** {@code f} applied to the items of an array or set, or the keys and values of an object; other terms as they are. */
    private static Term mapComposite(Term t, java.util.function.UnaryOperator<Term> f) {
        if (t instanceof Term.ArrayT a) {
            List<Term> items = mapAll(a.items, f);
            return items == a.items ? a : new Term.ArrayT(a.loc, items);
        }
        if (t instanceof Term.SetT a) {
            List<Term> items = mapAll(a.items, f);
            return items == a.items ? a : new Term.SetT(a.loc, items);
        }
        if (t instanceof Term.ObjectT o) {
            List<Term> keys = mapAll(o.keys, f);
            List<Term> values = mapAll(o.values, f);
            return keys == o.keys && values == o.values ? o : new Term.ObjectT(o.loc, keys, values);
        }
        return t;
    }

    /** The same list when {@code f} changed nothing (callers test identity), else the mapped copy. */
    private static List<Term> mapAll(List<Term> items, java.util.function.UnaryOperator<Term> f) {
        List<Term> out = new ArrayList<>(items.size());
        boolean changed = false;
        for (Term i : items) {
            Term n = f.apply(i);
            changed |= n != i;
            out.add(n);
        }
        return changed ? out : items;
    }

    private Term hoistCalls(Term t, List<Expr> extras, int depth, List<Expr.With> withs) {
        if (t instanceof Term.Call c) {
            List<Term> args = new ArrayList<>(c.args.size());
            for (Term a : c.args) {
                args.add(hoistCalls(a, extras, depth, withs));
            }
            Term.Var v = new Term.Var(c.loc, fresh("$call", depth));
            Term.Call call = new Term.Call(c.loc, c.op, args);
            extras.add(Expr.term(c.loc, false, new Term.Call(c.loc, new Term.Var(c.loc, "eq"), List.of(v, call)), withs));
            return v;
        }
        if (t instanceof Term.Ref r) {
            // the head too: f(x).y reads a call's result (OPA binds it first, issue 7558)
            Term head = hoistCalls(r.head, extras, depth, withs);
            List<Term> path = mapAll(r.path, p -> hoistCalls(p, extras, depth, withs));
            return head == r.head && path == r.path ? r : new Term.Ref(r.loc, head, path);
        }
        return mapComposite(t, x -> hoistCalls(x, extras, depth, withs));
    }

    /**
     * A call such as {@code x == input.xs[x]} binds x through the ref operand of another argument (OPA treats the
     * vars of a ref with a safe head as outputs of the whole expression). The evaluator evaluates arguments left to
     * right, so such ref arguments are hoisted into {@code $ref = input.xs[x]} in front of the call. Returns whether a
     * stuck expression was rewritten.
     */
    private boolean hoistRefArgs(List<Expr> remaining, List<Info> infos, Set<String> safe, int depth) {
        for (int i = 0; i < remaining.size(); i++) {
            Expr e = remaining.get(i);
            Info inf = infos.get(i);
            if (e.kind != Expr.Kind.TERM || e.negated || !e.withs.isEmpty() || inf.ua != null
                    || !(e.term instanceof Term.Call c)) {
                continue;
            }
            boolean needed = false;
            for (String v : inf.in) {
                if (!isSafe(v, safe, depth)) {
                    if (!inf.out.contains(v)) {
                        needed = false;
                        break;
                    }
                    needed = true;
                }
            }
            if (!needed) {
                continue;
            }
            List<Expr> hoisted = new ArrayList<>();
            List<Term> args = new ArrayList<>(c.args);
            for (int j = 0; j < args.size(); j++) {
                if (args.get(j) instanceof Term.Ref r && refBindsVars(r)) {
                    Term.Var tmp = new Term.Var(r.loc, fresh("$ref", depth));
                    hoisted.add(Expr.term(r.loc, false, new Term.Call(r.loc, new Term.Var(r.loc, "eq"), List.of(tmp, r)), List.of()));
                    args.set(j, tmp);
                }
            }
            if (hoisted.isEmpty()) {
                continue;
            }
            remaining.set(i, e.withTerm(new Term.Call(c.loc, c.op, args)));
            infos.set(i, info(remaining.get(i), depth));
            for (int j = hoisted.size() - 1; j >= 0; j--) {
                remaining.add(i, hoisted.get(j));
                infos.add(i, info(hoisted.get(j), depth));
            }
            return true;
        }
        return false;
    }

    private static boolean refBindsVars(Term.Ref r) {
        for (Term p : r.path) {
            if (!(p instanceof Term.Scalar)) {
                return true;
            }
        }
        return false;
    }

    private Expr reorderNestedExpr(Expr e, int depth, Set<String> safe) {
        List<Expr.With> ws = e.withs;
        if (!ws.isEmpty()) {
            List<Expr.With> nw = new ArrayList<>();
            for (Expr.With w : ws) {
                nw.add(new Expr.With(w.loc(), w.target(), reorderNested(w.value(), depth, safe)));
            }
            ws = nw;
        }
        switch (e.kind) {
            case EVERY -> {
                Set<String> s = new HashSet<>(safe);
                if (e.key != null) {
                    patternVars(e.key, s);
                }
                patternVars(e.value, s);
                List<Expr> body = reorder(e.body, depth + 1, s);
                return e.copy(false, null, e.key, e.value, reorderNested(e.domain, depth, safe), body, ws);
            }
            case SOME_IN -> {
                return e.copy(false, null, e.key, e.value, reorderNested(e.domain, depth, safe), null, ws);
            }
            case TERM -> {
                return e.copy(e.negated, reorderNested(e.term, depth, safe), null, null, null, null, ws);
            }
            default -> {
                return e;
            }
        }
    }

    private Term reorderNested(Term t, int depth, Set<String> safe) {
        if (t instanceof Term.Compr c) {
            List<Expr> body = reorder(c.body, depth + 1, new HashSet<>());
            // head safety
            Set<String> s = new HashSet<>();
            for (Expr e : body) {
                Vars.of(e, s);
            }
            Set<String> hv = new LinkedHashSet<>();
            if (c.key != null) {
                Vars.of(c.key, hv);
            }
            Vars.of(c.head, hv);
            for (String v : hv) {
                if (varDepth(v) == depth + 1 && !s.contains(v) && !isRoot(v)) {
                    throw unsafe(c.loc, v);
                }
            }
            Term key = c.key == null ? null : reorderNested(c.key, depth + 1, safe);
            return new Term.Compr(c.loc, c.kind, key, reorderNested(c.head, depth + 1, safe), body);
        } else if (t instanceof Term.Ref r) {
            List<Term> path = new ArrayList<>();
            boolean changed = false;
            for (Term p : r.path) {
                Term np = reorderNested(p, depth, safe);
                changed |= np != p;
                path.add(np);
            }
            Term head = reorderNested(r.head, depth, safe);
            return changed || head != r.head ? new Term.Ref(r.loc, head, path) : r;
        } else if (t instanceof Term.Call c) {
            List<Term> args = new ArrayList<>();
            for (Term a : c.args) {
                args.add(reorderNested(a, depth, safe));
            }
            return new Term.Call(c.loc, c.op, args);
        } else if (t instanceof Term.ArrayT a) {
            return new Term.ArrayT(a.loc, a.items.stream().map(i -> reorderNested(i, depth, safe)).toList());
        } else if (t instanceof Term.SetT a) {
            return new Term.SetT(a.loc, a.items.stream().map(i -> reorderNested(i, depth, safe)).toList());
        } else if (t instanceof Term.ObjectT o) {
            return new Term.ObjectT(o.loc, o.keys.stream().map(i -> reorderNested(i, depth, safe)).toList(),
                    o.values.stream().map(i -> reorderNested(i, depth, safe)).toList());
        }
        return t;
    }

    // ===================================================================== recursion

    private void checkRecursion(RuleNode root) {
        Map<RuleNode, Set<RuleNode>> deps = new IdentityHashMap<>();
        List<RuleNode> nodes = new ArrayList<>();
        collectNodes(root, nodes);
        for (RuleNode n : nodes) {
            Set<RuleNode> d = new LinkedHashSet<>();
            List<CRule> rs = new ArrayList<>(n.rules);
            rs.addAll(n.funcs);
            if (n.defaultRule != null) {
                rs.add(n.defaultRule);
            }
            for (CRule r : rs) {
                for (CRule c = r; c != null; c = c.elseRule) {
                    for (Expr e : c.body) {
                        depsExpr(e, root, d);
                    }
                    if (c.value != null) {
                        depsTerm(c.value, root, d);
                    }
                    for (Term t : c.suffix) {
                        depsTerm(t, root, d);
                    }
                }
            }
            deps.put(n, d);
        }
        Map<RuleNode, Integer> state = new IdentityHashMap<>();
        for (RuleNode n : nodes) {
            List<RuleNode> stack = new ArrayList<>();
            dfs(n, deps, state, stack);
        }
        markConstant(nodes, deps);
    }

    /** Marks nodes whose value cannot depend on input, mocks or nondeterministic builtins (shared across queries). */
    private void markConstant(List<RuleNode> nodes, Map<RuleNode, Set<RuleNode>> deps) {
        Map<RuleNode, Boolean> impure = new IdentityHashMap<>();
        for (RuleNode n : nodes) {
            boolean imp = false;
            List<CRule> rs = new ArrayList<>(n.rules);
            rs.addAll(n.funcs);
            if (n.defaultRule != null) {
                rs.add(n.defaultRule);
            }
            for (CRule r : rs) {
                for (CRule c = r; c != null && !imp; c = c.elseRule) {
                    for (Expr e : c.body) {
                        imp |= impureExpr(e);
                    }
                    imp |= impureTerm(c.value);
                    for (Term t : c.suffix) {
                        imp |= impureTerm(t);
                    }
                    for (Term t : c.args) {
                        imp |= impureTerm(t);
                    }
                }
            }
            impure.put(n, imp);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (RuleNode n : nodes) {
                if (impure.get(n)) {
                    continue;
                }
                for (RuleNode d : deps.getOrDefault(n, Set.of())) {
                    if (Boolean.TRUE.equals(impure.get(d))) {
                        impure.put(n, true);
                        changed = true;
                        break;
                    }
                }
            }
        }
        for (RuleNode n : nodes) {
            n.constant = !impure.get(n) && !n.isFunction();
        }
    }

    private boolean impureExpr(Expr e) {
        if (!e.withs.isEmpty()) {
            return true;
        }
        boolean imp = impureTerm(e.term) || impureTerm(e.key) || impureTerm(e.value) || impureTerm(e.domain);
        for (Expr b : e.body) {
            imp |= impureExpr(b);
        }
        return imp;
    }

    private boolean impureTerm(Term t) {
        if (t == null || t instanceof Term.Scalar) {
            return false;
        }
        if (t instanceof Term.Var v) {
            return v.name.equals("input");
        }
        if (t instanceof Term.Ref r) {
            if (r.headIs("input")) {
                return true;
            }
            if (impureTerm(r.head)) {
                return true;
            }
            for (Term p : r.path) {
                if (impureTerm(p)) {
                    return true;
                }
            }
            return false;
        }
        if (t instanceof Term.Call c) {
            String n = c.name();
            if (n == null || (!n.startsWith("data.") && !builtins.deterministic(n))) {
                return true;
            }
            for (Term a : c.args) {
                if (impureTerm(a)) {
                    return true;
                }
            }
            return false;
        }
        if (t instanceof Term.ArrayT a) {
            return a.items.stream().anyMatch(this::impureTerm);
        }
        if (t instanceof Term.SetT a) {
            return a.items.stream().anyMatch(this::impureTerm);
        }
        if (t instanceof Term.ObjectT o) {
            return o.keys.stream().anyMatch(this::impureTerm) || o.values.stream().anyMatch(this::impureTerm);
        }
        if (t instanceof Term.Compr c) {
            if (impureTerm(c.key) || impureTerm(c.head)) {
                return true;
            }
            for (Expr e : c.body) {
                if (impureExpr(e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void dfs(RuleNode n, Map<RuleNode, Set<RuleNode>> deps, Map<RuleNode, Integer> state, List<RuleNode> stack) {
        Integer st = state.get(n);
        if (st != null && st == 2) {
            return;
        }
        if (st != null && st == 1) {
            int i = stack.indexOf(n);
            StringBuilder sb = new StringBuilder();
            for (int j = i; j < stack.size(); j++) {
                sb.append(stack.get(j).pathText()).append(" -> ");
            }
            sb.append(n.pathText());
            CRule r = !n.rules.isEmpty() ? n.rules.get(0) : !n.funcs.isEmpty() ? n.funcs.get(0) : n.defaultRule;
            throw new RegoError("rego_recursion_error", r == null ? null : r.src.loc,
                    "rule " + n.pathText() + " is recursive: " + sb);
        }
        state.put(n, 1);
        stack.add(n);
        for (RuleNode d : deps.getOrDefault(n, Set.of())) {
            dfs(d, deps, state, stack);
        }
        stack.remove(stack.size() - 1);
        state.put(n, 2);
    }

    private static void collectNodes(RuleNode n, List<RuleNode> out) {
        if (n.hasRules() || n.isFunction()) {
            out.add(n);
        }
        for (RuleNode c : n.children.values()) {
            collectNodes(c, out);
        }
    }

    private void depsExpr(Expr e, RuleNode root, Set<RuleNode> d) {
        if (e.term != null) {
            depsTerm(e.term, root, d);
        }
        if (e.key != null) {
            depsTerm(e.key, root, d);
        }
        if (e.value != null) {
            depsTerm(e.value, root, d);
        }
        if (e.domain != null) {
            depsTerm(e.domain, root, d);
        }
        for (Expr b : e.body) {
            depsExpr(b, root, d);
        }
        for (Expr.With w : e.withs) {
            depsTerm(w.value(), root, d);
        }
    }

    private void depsTerm(Term t, RuleNode root, Set<RuleNode> d) {
        if (t instanceof Term.Var v && v.name.equals("data")) {
            addSubtree(root, d);
        } else if (t instanceof Term.Ref r) {
            if (r.headIs("data")) {
                depsPath(root, r.path, 0, d);
            }
            if (!(r.head instanceof Term.Var)) {
                depsTerm(r.head, root, d);
            }
            for (Term p : r.path) {
                depsTerm(p, root, d);
            }
        } else if (t instanceof Term.Call c) {
            if (c.op instanceof Term.Ref r && r.headIs("data")) {
                depsTerm(r, root, d);
            }
            for (Term a : c.args) {
                depsTerm(a, root, d);
            }
        } else if (t instanceof Term.ArrayT a) {
            a.items.forEach(i -> depsTerm(i, root, d));
        } else if (t instanceof Term.SetT a) {
            a.items.forEach(i -> depsTerm(i, root, d));
        } else if (t instanceof Term.ObjectT o) {
            o.keys.forEach(i -> depsTerm(i, root, d));
            o.values.forEach(i -> depsTerm(i, root, d));
        } else if (t instanceof Term.Compr c) {
            if (c.key != null) {
                depsTerm(c.key, root, d);
            }
            depsTerm(c.head, root, d);
            for (Expr e : c.body) {
                depsExpr(e, root, d);
            }
        }
    }

    /**
     * Rules a data ref can reach: a non-constant segment matches every child, later constant segments still narrow
     * the match (as OPA's dynamic rule lookup), so {@code data[x].allow} does not depend on rules without an
     * {@code allow} at that position.
     */
    private static void depsPath(RuleNode n, List<Term> path, int i, Set<RuleNode> d) {
        if (i == path.size() || n.hasRules() || n.isFunction()) {
            addSubtree(n, d);
            return;
        }
        if (path.get(i) instanceof Term.Scalar s) {
            RuleNode c = n.children.get(s.value);
            if (c != null) {
                depsPath(c, path, i + 1, d);
            }
            return;
        }
        for (RuleNode c : n.children.values()) {
            depsPath(c, path, i + 1, d);
        }
    }

    private static void addSubtree(RuleNode n, Set<RuleNode> d) {
        if (n.hasRules() || n.isFunction()) {
            d.add(n);
        }
        for (RuleNode c : n.children.values()) {
            addSubtree(c, d);
        }
    }
}
