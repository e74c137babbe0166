package dev.posture.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoError;
import dev.posture.rego.RegoVersion;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@link PolicyEngine} on the embedded {@code rego} module: no OPA needed.
 *
 * <p>Evaluation is one query per input for all packages: {@link #load} adds a generated module
 * ({@value #AGGREGATE}) with one rule per package document ({@code r3_0 := data.<pkg>.deny}, default {@code []}), and
 * an evaluator's query is the array of its packages' rules. The input is converted once, every package runs in
 * one evaluation (rule-index guards such as {@code input.kind == "Pod"} skip the rest), and values that do not
 * depend on the input (an index over {@code data.posture.inventory}) are computed once per load and shared. The query's
 * step budget is the per-package budget times the number of packages; when it fails (budget, deadline, a
 * conflict), each package is evaluated alone with its own budget, so the error names the package that failed
 * and the others' results still count.
 */
public final class EmbeddedRegoEngine implements PolicyEngine {
    /** The generated package holding one rule per package document. */
    public static final String AGGREGATE = "posture_engine_aggregate";

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public LoadedPolicies load(List<PolicyModule> modules, JsonNode data, EvalLimits limits) throws PolicyException {
        ModuleIndex index = ModuleIndex.of(modules);
        List<RulePackage> all = index.packages("");
        Map<String, String> ruleOf = new HashMap<>();
        StringBuilder gen = new StringBuilder("package ").append(AGGREGATE).append("\n\n");
        int n = 0;
        for (RulePackage p : all) {
            int k = 0;
            for (String doc : new TreeSet<>(p.documents())) {
                String r = "r" + n + "_" + k++;
                gen.append("default ").append(r).append(" := []\n");
                gen.append(r).append(" := ").append(ref(p.path())).append('.').append(doc).append("\n\n");
                ruleOf.put(p.path() + "#" + doc, r);
            }
            n++;
        }
        // Trivy's checks call result.new, isManaged, sh.parse_commands… without an import; a module's own import
        // of the same name still wins
        PolicySet.Builder b = PolicySet.builder().printSink(s -> { }).trivyHelpers();
        for (PolicyModule m : modules) {
            b.module(m.name(), m.source(), m.v0() ? RegoVersion.V0 : RegoVersion.V1);
        }
        b.module(AGGREGATE + ".rego", gen.toString());
        if (data != null) {
            b.data(data);
        }
        PolicySet ps;
        try {
            ps = b.build();
        } catch (RegoError e) {
            throw new PolicyException(describe(e), e);
        }
        return new Loaded(ps, index, ruleOf, limits);
    }

    /** {@code file:line:col: code: detail}, the engine's error code kept (OPA's own rendering has no column). */
    static String describe(RegoError e) {
        String where = e.locationText();
        return (where.isEmpty() ? "" : where + ": ") + e.code() + ": " + e.detail();
    }

    /** {@code data.a.b} with segments that are not identifiers quoted. */
    private static String ref(String dotted) {
        StringBuilder sb = new StringBuilder("data");
        for (String seg : dotted.split("\\.")) {
            if (seg.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                sb.append('.').append(seg);
            } else {
                sb.append("[\"").append(seg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
            }
        }
        return sb.toString();
    }

    private static final class Loaded implements LoadedPolicies {
        private final PolicySet ps;
        private final ModuleIndex index;
        private final Map<String, String> ruleOf;
        private final EvalLimits limits;

        Loaded(PolicySet ps, ModuleIndex index, Map<String, String> ruleOf, EvalLimits limits) {
            this.ps = ps;
            this.index = index;
            this.ruleOf = ruleOf;
            this.limits = limits;
        }

        @Override
        public List<RulePackage> packages(String prefix) {
            return index.packages(prefix);
        }

        @Override
        public PackageEvaluator evaluator(List<RulePackage> packages, Predicate<String> documents)
                throws PolicyException {
            List<String> rules = new ArrayList<>();
            List<Map<String, Integer>> slots = new ArrayList<>(); // per package: document → index in the array
            for (RulePackage p : packages) {
                Map<String, Integer> slot = new TreeMap<>();
                for (String doc : new TreeSet<>(p.documents())) {
                    String r = ruleOf.get(p.path() + "#" + doc);
                    if (r != null && documents.test(doc)) {
                        slot.put(doc, rules.size());
                        rules.add("data." + AGGREGATE + "." + r);
                    }
                }
                slots.add(slot);
            }
            try {
                PreparedQuery all = ps.prepare("[" + String.join(", ", rules) + "]");
                List<PreparedQuery> single = new ArrayList<>();
                for (Map<String, Integer> slot : slots) {
                    List<String> own = new ArrayList<>();
                    for (int i : slot.values()) {
                        own.add(rules.get(i));
                    }
                    single.add(ps.prepare("[" + String.join(", ", own) + "]"));
                }
                Evaluator ev = new Evaluator(List.copyOf(packages), slots, all, single, limits);
                ev.check();
                return ev;
            } catch (RegoError e) {
                throw new PolicyException(describe(e), e);
            }
        }
    }

    private static final class Evaluator implements PackageEvaluator {
        private final List<RulePackage> packages;
        private final List<Map<String, Integer>> slots;
        private final PreparedQuery all;
        private final List<PreparedQuery> single;
        private final EvalLimits limits;

        Evaluator(List<RulePackage> packages, List<Map<String, Integer>> slots, PreparedQuery all, List<PreparedQuery> single,
                  EvalLimits limits) {
            this.packages = packages;
            this.slots = slots;
            this.all = all;
            this.single = single;
            this.limits = limits;
        }

        /**
         * The engine checks some rules (unsafe variables) when a query first reaches them: one evaluation with an
         * empty input finds such errors now, as load errors, rather than as a failure on every input.
         */
        void check() {
            try {
                run(all, Value.EMPTY_OBJECT, limits.maxSteps());
            } catch (RegoError e) {
                if (e.code() != null && e.code().startsWith("rego_")) {
                    throw e;
                }
            } catch (RuntimeException e) {
                // an error that depends on the input: each input reports it
            }
        }

        @Override
        public Evaluation evaluate(JsonNode input) {
            Value in = Json.fromJson(input);
            long budget = packages.isEmpty() ? limits.maxSteps()
                    : limits.maxSteps() > Long.MAX_VALUE / packages.size() ? Long.MAX_VALUE
                    : limits.maxSteps() * packages.size();
            List<Value> values;
            try {
                values = run(all, in, budget);
            } catch (RuntimeException e) {
                return onePackageAtATime(in);
            }
            List<PackageResult> results = new ArrayList<>(packages.size());
            for (int i = 0; i < packages.size(); i++) {
                Map<String, List<JsonNode>> docs = new TreeMap<>();
                slots.get(i).forEach((doc, at) -> docs.put(doc, items(values.get(at))));
                results.add(new PackageResult(packages.get(i), docs));
            }
            return new Evaluation(results, List.of());
        }

        /** After the joint query failed: each package alone, with its own budget, so the failure has a name. */
        private Evaluation onePackageAtATime(Value in) {
            List<PackageResult> results = new ArrayList<>();
            List<PackageError> errors = new ArrayList<>();
            for (int i = 0; i < packages.size(); i++) {
                RulePackage p = packages.get(i);
                try {
                    List<Value> v = run(single.get(i), in, limits.maxSteps());
                    Map<String, List<JsonNode>> docs = new TreeMap<>();
                    int j = 0;
                    for (String doc : slots.get(i).keySet()) {
                        docs.put(doc, items(v.get(j++)));
                    }
                    results.add(new PackageResult(p, docs));
                } catch (RegoError e) {
                    errors.add(new PackageError(p, e.detail()));
                } catch (RuntimeException e) {
                    errors.add(new PackageError(p, "internal error in the embedded engine: " + e));
                }
            }
            return new Evaluation(results, errors);
        }

        private List<Value> run(PreparedQuery q, Value input, long steps) {
            PreparedQuery.EvalOptions o = new PreparedQuery.EvalOptions();
            o.maxSteps = steps;
            o.timeout = limits.timeout();
            QueryResult r = q.eval(input, o);
            if (r.rows().isEmpty()) {
                throw new RegoError("eval_undefined", null, "the query was undefined");
            }
            Value v = r.rows().get(0).expressions().get(0).value();
            if (!(v instanceof Value.Arr a)) {
                throw new RegoError("eval_type_error", null, "unexpected query result");
            }
            return a.items();
        }

        /** A set's or array's elements as JSON; any other value as a one-element list (false/null: none). */
        private static List<JsonNode> items(Value v) {
            Collection<Value> c;
            if (v instanceof Value.SetV s) {
                c = s.items();
            } else if (v instanceof Value.Arr a) {
                c = a.items();
            } else if (v instanceof Value.Bool b && !b.value || v instanceof Value.Null) {
                return List.of();
            } else {
                c = List.of(v);
            }
            if (c.isEmpty()) {
                return List.of();
            }
            List<JsonNode> out = new ArrayList<>(c.size());
            for (Value x : c) {
                out.add(Json.toJson(x));
            }
            return out;
        }
    }
}
