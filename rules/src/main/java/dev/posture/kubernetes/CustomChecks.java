package dev.posture.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.model.Finding;
import dev.posture.model.Rule;
import dev.posture.model.Suppression;
import dev.posture.model.Theme;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.RulePackage;
import dev.posture.policy.custom.CustomPolicies;
import dev.posture.policy.custom.CustomRules;
import dev.posture.policy.custom.Gatekeeper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The conventions other than posture's own, run on each Kubernetes object through the same loaded policies
 * (one {@link PolicyEngine} load per scan): conftest namespaces, Trivy checks ({@code kubernetes} selector) and
 * Gatekeeper constraints. Native {@code posture.kubernetes.*} packages need nothing here: they are rules like the
 * built-in ones.
 */
final class CustomChecks {
    /** conftest's rule documents (and its exceptions). */
    static final Pattern CONFTEST_DOCUMENT = Pattern.compile("(deny|violation|warn)(_[A-Za-z0-9_]+)?|exception");

    private final PolicyEngine.PackageEvaluator conftest;
    private final PolicyEngine.PackageEvaluator trivy;
    private final Map<String, Rule> rules = new HashMap<>(); // "conftest:pkg#doc", "trivy:pkg", constraint rule id
    private final List<Gk> gatekeeper = new ArrayList<>();
    private final Map<String, JsonNode> namespaces;

    /** One constraint with its template's evaluator. */
    private record Gk(Gatekeeper.Constraint constraint, PolicyEngine.PackageEvaluator evaluator, Rule rule) {
    }

    private CustomChecks(PolicyEngine.PackageEvaluator conftest, PolicyEngine.PackageEvaluator trivy,
                         Map<String, JsonNode> namespaces) {
        this.conftest = conftest;
        this.trivy = trivy;
        this.namespaces = namespaces;
    }

    /** Null when the user brought nothing but native packages (or nothing). */
    static CustomChecks of(CustomPolicies custom, PolicyEngine.LoadedPolicies loaded, List<Resource> all,
                           Consumer<String> warn) throws PolicyException {
        if (custom.isEmpty()) {
            return null;
        }
        List<RulePackage> every = loaded.packages("");
        List<RulePackage> conftestPkgs = new ArrayList<>();
        List<RulePackage> trivyPkgs = new ArrayList<>();
        for (RulePackage p : every) {
            if (custom.conftest(p)) {
                conftestPkgs.add(p);
            } else if (custom.trivy(p, "kubernetes") && p.defines("deny")) {
                trivyPkgs.add(p);
            }
        }
        Map<String, JsonNode> ns = new HashMap<>();
        for (Resource r : all) {
            if (r.kind().equals("Namespace") && r.apiVersion().equals("v1")) {
                ns.put(r.name(), r.object());
            }
        }
        CustomChecks c = new CustomChecks(
                conftestPkgs.isEmpty() ? null : loaded.evaluator(conftestPkgs, d -> CONFTEST_DOCUMENT.matcher(d).matches()),
                trivyPkgs.isEmpty() ? null : loaded.evaluator(trivyPkgs, "deny"::equals), ns);
        for (RulePackage p : conftestPkgs) {
            for (String d : p.documents()) {
                if (!d.equals("exception")) {
                    c.rules.put("conftest:" + p.path() + "#" + d, CustomRules.conftestRule(p, d, Theme.CLUSTER));
                }
            }
        }
        for (RulePackage p : trivyPkgs) {
            c.rules.put("trivy:" + p.path(), CustomRules.trivyRule(p, Theme.CLUSTER, warn));
        }
        Map<String, PolicyEngine.PackageEvaluator> byTemplate = new LinkedHashMap<>();
        for (Gatekeeper.Constraint k : custom.constraints()) {
            Gatekeeper.Template t = custom.templates().get(k.kind());
            PolicyEngine.PackageEvaluator ev = byTemplate.get(t.kind());
            if (ev == null) {
                RulePackage p = every.stream().filter(x -> x.path().equals(t.pkg())).findFirst().orElse(null);
                if (p == null || !p.defines("violation")) {
                    throw new PolicyException(t.where() + ": ConstraintTemplate " + t.name() + ": package " + t.pkg()
                            + " defines no violation rule");
                }
                ev = loaded.evaluator(List.of(p), "violation"::equals);
                byTemplate.put(t.kind(), ev);
            }
            c.gatekeeper.add(new Gk(k, ev, CustomRules.gatekeeperRule(k, t)));
        }
        for (String kind : custom.templates().keySet()) {
            if (!byTemplate.containsKey(kind)) {
                warn.accept("ConstraintTemplate for " + kind + " (" + custom.templates().get(kind).where()
                        + ") has no Constraint in the --policy directories: it checks nothing");
            }
        }
        return c;
    }

    /** Every rule these checks may report, by id. */
    Map<String, Rule> rulesById() {
        Map<String, Rule> out = new HashMap<>();
        rules.values().forEach(r -> out.put(r.id(), r));
        gatekeeper.forEach(g -> out.put(g.rule().id(), g.rule()));
        return out;
    }

    /** Evaluates one object; findings and errors are added to the lists. */
    void evaluate(Resource r, List<Finding> findings, List<String> errors, IgnoreAnnotation ignore) {
        if (conftest != null) {
            PolicyEngine.Evaluation ev = conftest.evaluate(r.object());
            for (PolicyEngine.PackageResult pr : ev.results()) {
                Set<String> excepted = new HashSet<>();
                for (JsonNode e : pr.document("exception")) {
                    if (e.isArray()) {
                        e.forEach(n -> excepted.add(n.asText()));
                    } else if (e.isTextual()) {
                        excepted.add(e.asText());
                    }
                }
                for (Map.Entry<String, List<JsonNode>> d : pr.documents().entrySet()) {
                    if (d.getKey().equals("exception")) {
                        continue;
                    }
                    Rule rule = rules.get("conftest:" + pr.pkg().path() + "#" + d.getKey());
                    String suffix = d.getKey().contains("_") ? d.getKey().substring(d.getKey().indexOf('_') + 1) : "";
                    boolean isExcepted = !d.getKey().startsWith("warn") && excepted.contains(suffix);
                    for (JsonNode result : d.getValue()) {
                        Finding f = KubernetesFindings.finding(r, rule, result);
                        if (isExcepted) {
                            f = f.withSuppression(new Suppression("excepted by conftest's exception rule of package "
                                    + pr.pkg().path() + " (\"" + suffix + "\")", null, "exception in "
                                    + pr.pkg().module(), rule.id(), null, null, null, r.id()));
                        }
                        findings.add(CustomRules.distinct(ignore == null ? f : ignore.apply(f)));
                    }
                }
            }
            errors(r, ev, errors);
        }
        if (trivy != null) {
            Map<Integer, ArrayNode> paths = new HashMap<>();
            JsonNode located = defsec(r, r.object(), "", JsonNodeFactory.instance.arrayNode(), paths, 0);
            PolicyEngine.Evaluation ev = trivy.evaluate(located);
            for (PolicyEngine.PackageResult pr : ev.results()) {
                Rule rule = rules.get("trivy:" + pr.pkg().path());
                for (JsonNode result : pr.deny()) {
                    ArrayNode path = paths.get(result.path("startline").asInt(0));
                    if (path != null && result.isObject() && !result.has("path")) {
                        ObjectNode withPath = ((ObjectNode) result).deepCopy();
                        withPath.set("path", path); // the cause's field: its line, and a fingerprint as built-ins have
                        result = withPath;
                    }
                    Finding f = KubernetesFindings.finding(r, rule, result);
                    findings.add(CustomRules.distinct(ignore == null ? f : ignore.apply(f)));
                }
            }
            errors(r, ev, errors);
        }
        if (!gatekeeper.isEmpty()) {
            Gatekeeper.Review review = new Gatekeeper.Review(r.object(), r.apiVersion(), r.kind(), r.namespace(),
                    r.name(), r.namespace().isEmpty());
            for (Gk g : gatekeeper) {
                if (!Gatekeeper.matches(g.constraint(), review, namespaces::get)) {
                    continue;
                }
                PolicyEngine.Evaluation ev = g.evaluator().evaluate(Gatekeeper.input(review, g.constraint()));
                for (PolicyEngine.PackageResult pr : ev.results()) {
                    for (JsonNode result : pr.document("violation")) {
                        Finding f = KubernetesFindings.finding(r, g.rule(), result);
                        findings.add(CustomRules.distinct(ignore == null ? f : ignore.apply(f)));
                    }
                }
                errors(r, ev, errors);
            }
        }
    }

    /** Nesting followed when the object is copied for Trivy (the parser bounds manifests' depth anyway). */
    private static final int MAX_DEPTH = 200;

    /**
     * The object as Trivy's Kubernetes parser gives it to checks: every mapping carries {@code __defsec_metadata}
     * ({@code startline}, {@code endline}, {@code filepath}), from which {@code result.new(msg, cause)} takes the
     * cause's lines. {@code paths} gets, per start line, the field path of the first (outermost) mapping there, so a
     * result's line leads back to its field.
     */
    static JsonNode defsec(Resource r, JsonNode n, String pointer, ArrayNode path, Map<Integer, ArrayNode> paths,
                           int depth) {
        if (depth > MAX_DEPTH) {
            return n;
        }
        if (n instanceof ObjectNode o) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            int line = r.location(pointer).line();
            ObjectNode meta = out.putObject("__defsec_metadata");
            paths.putIfAbsent(line, path.deepCopy());
            int end = line;
            var it = o.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getKey().equals("__defsec_metadata")) {
                    continue;
                }
                String p = dev.posture.document.SourceMap.child(pointer, e.getKey());
                ArrayNode childPath = path.deepCopy().add(e.getKey());
                out.set(e.getKey(), defsec(r, e.getValue(), p, childPath, paths, depth + 1));
                end = Math.max(end, r.location(p).line());
                JsonNode child = out.get(e.getKey());
                if (child instanceof ObjectNode co && co.has("__defsec_metadata")) {
                    end = Math.max(end, co.get("__defsec_metadata").path("endline").asInt(end));
                }
            }
            meta.put("startline", line);
            meta.put("endline", end);
            meta.put("filepath", r.input().name());
            return out;
        }
        if (n instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < a.size(); i++) {
                out.add(defsec(r, a.get(i), dev.posture.document.SourceMap.child(pointer, i), path.deepCopy().add(i),
                        paths, depth + 1));
            }
            return out;
        }
        return n;
    }

    private static void errors(Resource r, PolicyEngine.Evaluation ev, List<String> errors) {
        for (PolicyEngine.PackageError e : ev.errors()) {
            errors.add(r.id() + " at " + r.location() + ": policy " + e.pkg().ruleName() + " failed: " + e.reason());
        }
    }
}
