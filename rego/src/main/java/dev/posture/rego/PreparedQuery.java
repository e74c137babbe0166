package dev.posture.rego;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Term;
import dev.posture.rego.eval.Evaluator;
import dev.posture.rego.parser.Parser;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query compiled against a {@link PolicySet}; immutable and thread-safe. {@link #eval(JsonNode)} evaluates it
 * with an input document; {@link #eval(Value, EvalOptions)} also takes per-call data and limits.
 */
public final class PreparedQuery {
    private final PolicySet ps;
    private final List<Expr> body;
    private final List<Expr> original;
    private final String[] captures;

    /** Per-evaluation options (null fields fall back to the policy set's settings). */
    public static final class EvalOptions {
        public Value data;
        public Long maxSteps;
        public java.time.Duration timeout;
        /** Memory budget in bytes (0 or less: none); see {@link PolicySet.Builder#maxMemory(long)}. */
        public Long maxMemory;
        public Boolean strict;
        public java.util.function.Consumer<String> print;
        /**
         * Told of each unexpected exception (or stack overflow) a builtin throws, with the builtin's name, before it
         * becomes that expression's builtin error; e.g. to log it, or for a fuzz target to count it as a finding.
         */
        public java.util.function.BiConsumer<String, Throwable> builtinFailure;
    }

    PreparedQuery(PolicySet ps, String query) {
        this.ps = ps;
        List<Expr> parsed = Parser.parseQuery(query);
        this.original = parsed;
        this.captures = new String[parsed.size()];
        List<Expr> capt = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Expr e = parsed.get(i);
            boolean capturable = e.kind == Expr.Kind.TERM && !e.negated && (!(e.term instanceof Term.Call c) || valueCall(c));
            if (capturable) {
                String v = "$q" + i;
                captures[i] = v;
                Term.Var var = new Term.Var(e.loc, v);
                Term call = new Term.Call(e.loc, new Term.Var(e.loc, "eq"), List.of(var, e.term));
                capt.add(e.withTerm(call));
                if (e.term instanceof Term.Call) {
                    Term check = new Term.Call(e.loc, new Term.Var(e.loc, "neq"),
                            List.of(var, new Term.Scalar(e.loc, Value.bool(false))));
                    capt.add(Expr.term(e.loc, false, check, null));
                }
            } else {
                capt.add(e);
            }
        }
        this.body = PolicySet.newCompiler(ps.denied, ps.registry).compileQuery(capt, ps.compiled());
    }

    /** A call whose result is the expression value (not a unification and without an output argument). */
    private boolean valueCall(Term.Call c) {
        String n = c.name();
        if (n == null || n.equals("eq") || n.equals("assign") || n.equals("print")) {
            return false;
        }
        int arity;
        if (n.startsWith("data.")) {
            java.util.List<Value> path = new ArrayList<>();
            for (String part : n.substring(5).split("\\.")) {
                path.add(Value.str(part));
            }
            dev.posture.rego.compiler.RuleNode node = ps.compiled().node(path);
            arity = node == null ? -1 : node.arity();
        } else {
            arity = ps.registry.arity(n);
        }
        return arity >= 0 && c.args.size() == arity;
    }

    /** Evaluates with an input document (null = no input) and the policy set's base data. */
    public QueryResult eval(JsonNode input) {
        return eval(input == null ? null : Json.fromJson(input), null);
    }

    /** Evaluates with an input document and a base {@code data} document replacing the policy set's. */
    public QueryResult eval(JsonNode input, JsonNode data) {
        EvalOptions o = new EvalOptions();
        o.data = data == null ? null : Json.fromJson(data);
        return eval(input == null ? null : Json.fromJson(input), o);
    }

    public QueryResult eval(Value input, EvalOptions o) {
        Evaluator.Options opts = new Evaluator.Options();
        PolicySet.Settings s = ps.settings;
        opts.strict = o != null && o.strict != null ? o.strict : s.strict();
        opts.maxSteps = o != null && o.maxSteps != null ? o.maxSteps : s.maxSteps();
        java.time.Duration to = o != null && o.timeout != null ? o.timeout : s.timeout();
        if (to != null) {
            opts.deadlineNanos = System.nanoTime() + to.toNanos();
        }
        opts.print = o != null && o.print != null ? o.print : s.print();
        opts.builtinFailure = o != null ? o.builtinFailure : null;
        opts.maxDepth = s.maxDepth();
        long mem = o != null && o.maxMemory != null ? o.maxMemory : s.maxMemory();
        opts.maxMemory = mem <= 0 ? Long.MAX_VALUE : mem;
        opts.runtime = PolicySet.runtimeValue(s.allowEnv());
        opts.registry = ps.registry;
        if (o == null || o.data == null && o.strict == null) {
            opts.shared = ps.shared;
        }
        Value data = o != null && o.data != null ? o.data : ps.data;
        Evaluator ev = new Evaluator(ps.compiled(), data, input, opts);
        List<QueryResult.Row> rows = new ArrayList<>();
        try {
            ev.evalQuery(body, b -> {
                List<QueryResult.ExprValue> exprs = new ArrayList<>();
                for (int i = 0; i < original.size(); i++) {
                    Expr e = original.get(i);
                    Value v = captures[i] != null ? b.get(captures[i]) : Value.bool(true);
                    if (v != null && !(v instanceof Value.Bool)) {
                        // the caller will print the value: a result that shares sub-values many times
                        // (b := [a, a], c := [b, b], ...) would expand to its printed size there
                        ev.charge(2 * dev.posture.rego.value.ValueText.expandedLength(v));
                    }
                    exprs.add(new QueryResult.ExprValue(v == null ? Value.bool(true) : v, e.text == null ? e.toString() : e.text,
                            e.loc.row(), e.loc.col()));
                }
                Map<String, Value> bindings = new LinkedHashMap<>();
                for (Map.Entry<String, Value> en : b.entrySet()) {
                    String k = en.getKey();
                    if (!k.startsWith("$") && k.indexOf('%') < 0) {
                        ev.charge(2 * dev.posture.rego.value.ValueText.expandedLength(en.getValue()));
                        bindings.put(k, en.getValue());
                    }
                }
                rows.add(new QueryResult.Row(exprs, bindings));
            });
        } catch (StackOverflowError e) {
            throw new RegoError("eval_cancel_error", null, "evaluation exceeded the maximum stack depth (input or data too deeply nested?)");
        } catch (OutOfMemoryError e) {
            // last resort: the budget did not see this allocation; what the evaluation built is garbage now
            rows.clear();
            throw new RegoError("eval_cancel_error", null, "evaluation ran out of memory (the JVM heap is exhausted)");
        } catch (RegoError e) {
            throw e;
        } catch (RuntimeException e) {
            RegoError err = new RegoError("eval_internal_error", null, "internal error: " + e);
            err.initCause(e);
            throw err;
        }
        return new QueryResult(rows);
    }
}
