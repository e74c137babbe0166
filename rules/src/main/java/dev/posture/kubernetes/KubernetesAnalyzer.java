package dev.posture.kubernetes;

import dev.posture.policy.PolicyRules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.document.ParsedDocument;
import dev.posture.model.Finding;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import dev.posture.policy.RulePackage;
import dev.posture.policy.custom.CustomPolicies;
import dev.posture.policy.custom.CustomRules;
import dev.posture.scan.Analyzer;
import dev.posture.scan.ScanContext;
import dev.posture.source.Input;
import dev.posture.source.InputKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container half's manifests: every Kubernetes object of the scan, judged by the Rego policies under
 * {@code posture.kubernetes.*} (bundled in the jar from {@code policies/kubernetes/}) through a
 * {@link PolicyEngine}.
 *
 * <p>Cross-input: all manifests of a scan are read first, so {@code data.posture.inventory} (every object, by namespace,
 * kind and name) is built once and policies that look across resources (a NetworkPolicy in another file) see them
 * all. The policies are compiled once per scan; resources are then evaluated on {@link ScanContext#parallelism()}
 * threads, all packages in one evaluation per resource. Each file is one target: scanned, or failed with the
 * reason (a document that is not valid YAML, a policy over its budget on one resource) — the rest of the file and
 * of the scan is still checked and reported.
 */
public final class KubernetesAnalyzer implements Analyzer {
    /** The rules of the policies this analyzer evaluated (their METADATA). */
    private final java.util.Set<dev.posture.model.Rule> evaluated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public List<dev.posture.model.Rule> rules(TargetType type) {
        return type == TargetType.KUBERNETES ? List.copyOf(evaluated) : List.of();
    }
    private static final Logger LOG = Logger.getLogger(KubernetesAnalyzer.class.getName());

    /** The packages that are rules: {@code posture.kubernetes.<name>}. */
    public static final String PACKAGE_PREFIX = "posture.kubernetes";
    /** Rule ids a resource is exempt from, comma-separated. */
    public static final String IGNORE_ANNOTATION = "posture.dev/ignore";
    /** Why; required for {@link #IGNORE_ANNOTATION} to apply. */
    public static final String IGNORE_REASON_ANNOTATION = "posture.dev/ignore-reason";
    /** Resources handed to one worker at a time. */
    private static final int CHUNK = 32;

    /** Where the policy modules come from. */
    @FunctionalInterface
    public interface PolicyProvider {
        List<PolicyModule> modules() throws PolicyException;
    }

    private final PolicyProvider policies;
    private final PolicyEngine engine;
    private final EvalLimits limits;
    private final CustomPolicies custom;

    public KubernetesAnalyzer(PolicyProvider policies, PolicyEngine engine, EvalLimits limits) {
        this(policies, engine, limits, CustomPolicies.NONE);
    }

    /** @param custom the user's policies ({@code --policy}), run next to the bundled ones */
    public KubernetesAnalyzer(PolicyProvider policies, PolicyEngine engine, EvalLimits limits, CustomPolicies custom) {
        this.policies = policies;
        this.engine = engine;
        this.limits = limits;
        this.custom = custom == null ? CustomPolicies.NONE : custom;
    }

    /** The bundled policies on the embedded engine, default budgets. */
    public static KubernetesAnalyzer withBundledPolicies() {
        return withBundledPolicies(new EmbeddedRegoEngine(), CustomPolicies.NONE);
    }

    /** The bundled policies on {@code engine} (an OPA server), default budgets. */
    public static KubernetesAnalyzer withBundledPolicies(PolicyEngine engine) {
        return withBundledPolicies(engine, CustomPolicies.NONE);
    }

    /** The bundled policies and the user's, on the embedded engine, default budgets. */
    public static KubernetesAnalyzer withBundledPolicies(CustomPolicies custom) {
        return withBundledPolicies(new EmbeddedRegoEngine(), custom);
    }

    /** The bundled policies and the user's ({@code --policy}) on {@code engine}, default budgets. */
    public static KubernetesAnalyzer withBundledPolicies(PolicyEngine engine, CustomPolicies custom) {
        return new KubernetesAnalyzer(() -> PolicySources.bundled("policies/kubernetes"), engine, EvalLimits.DEFAULT,
                custom);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Optional<InputKind> recognise(ParsedDocument doc) {
        return ManifestReader.isObject(doc.root()) ? Optional.of(InputKind.KUBERNETES) : Optional.empty();
    }

    @Override
    public boolean accepts(Input input) {
        return input.kind() == InputKind.KUBERNETES;
    }

    @Override
    public boolean crossInput() {
        return true;
    }

    @Override
    public TargetType targetType(Input input) {
        return TargetType.KUBERNETES;
    }

    /** What went wrong in one file, in the order met. */
    private static final class FileState {
        final List<String> errors = new ArrayList<>();
        int errorCount;

        synchronized void error(String e) {
            errorCount++;
            if (errors.size() < 3) {
                errors.add(e);
            }
        }
    }

    /**
     * Keys written twice: the document holds the last value (what the policies judge); the user is
     * told where, as for every other input (a few per file, then a count).
     */
    private static void duplicateKeys(Input in, ScanContext ctx) {
        List<String> where = new ArrayList<>();
        int n = 0;
        for (dev.posture.document.ParsedDocument d : in.documents()) {
            for (dev.posture.document.DuplicateKey k : d.sourceMap().duplicates()) {
                if (n++ < 3) {
                    where.add(d.sourceMap().at(k.pointer()) + ": " + k.describe());
                }
            }
        }
        if (n > 0) {
            ctx.warn(String.join("; ", where) + (n > 3 ? " (" + n + " repeated keys in all)" : "")
                    + "; the last value of each is checked (kubectl's field validation warns about or rejects such a"
                    + " manifest)");
        }
    }

    @Override
    public void analyze(List<Input> inputs, ScanContext ctx) {
        long t0 = System.nanoTime();
        // 1. read every file: objects (List items one by one), and what is not an object
        Set<String> clusterCustom = new HashSet<>();
        for (Input in : inputs) {
            ManifestReader.clusterScopedCustomKinds(in, clusterCustom);
        }
        Map<Input, FileState> states = new IdentityHashMap<>();
        List<Resource> all = new ArrayList<>();
        for (Input in : inputs) {
            FileState st = new FileState();
            states.put(in, st);
            int good = in.documents().size();
            for (String e : in.documentErrors()) {
                st.error(e + (good > 0 ? " (the file's other " + good + " document(s) were checked)" : ""));
            }
            duplicateKeys(in, ctx);
            ManifestReader.Read r = ManifestReader.read(in, clusterCustom);
            all.addAll(r.resources());
            if (!r.notObjects().isEmpty()) {
                ctx.warn(in.name() + ": " + r.notObjects().size() + " document(s) are not Kubernetes objects (no"
                        + " apiVersion/kind) and were not checked, first at " + r.notObjects().get(0));
            }
        }

        // 2. the inventory, once per scan
        ObjectNode inventory = inventory(all, ctx);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        // posture's own at data.posture.inventory, Gatekeeper's shape at data.inventory: one data document serves
        // every convention (an OPA server gets it once)
        data.putObject("posture").set("inventory", inventory);
        data.set("inventory", gatekeeperInventory(all));
        this.custom.withData(data);
        List<Resource> judged = new ArrayList<>();
        Map<String, Integer> custom = new TreeMap<>();
        for (Resource r : all) {
            if (r.judged()) {
                // in a shard, another shard's files are inventoried (cross-resource checks), not judged
                if (ctx.reports().test(r.input().name())) {
                    judged.add(r);
                }
            } else {
                String group = KubernetesKinds.group(r.apiVersion());
                custom.merge(r.kind() + " (" + (group.isEmpty() ? r.apiVersion() : group) + ")", 1, Integer::sum);
            }
        }
        if (!custom.isEmpty()) {
            ctx.warn(customSummary(custom));
        }

        // 3. the policies, compiled once with the inventory
        long t1 = System.nanoTime();
        List<ResourceOutcome> outcomes;
        try (PolicyEngine.LoadedPolicies loaded = engine.load(modules(), data, limits)) {
            long t2 = System.nanoTime();
            PolicyRules rules = CustomRules.withNative(loaded.packages(PACKAGE_PREFIX), this.custom.moduleNames(), "k8s-",
                    dev.posture.model.Theme.CLUSTER, ctx::warn);
            CustomChecks checks = CustomChecks.of(this.custom, loaded, all, ctx::warn);
            if (checks != null) {
                Map<String, dev.posture.model.Rule> ids = new java.util.HashMap<>(checks.rulesById());
                ids.putAll(rules.byId());
                rules = new PolicyRules(rules.packages(), rules.byPackage(), ids);
            }
            evaluated.addAll(rules.byId().values());
            if (rules.packages().isEmpty() && checks == null) {
                ctx.warn("no Kubernetes policies (packages " + PACKAGE_PREFIX + ".*) were found: manifests were read,"
                        + " not judged");
            }
            PolicyEngine.PackageEvaluator evaluator = loaded.evaluator(rules.packages());
            outcomes = evaluate(judged, evaluator, rules, checks, this.custom.moduleNames(), ctx);
            long t3 = System.nanoTime();
            LOG.fine(() -> String.format("kubernetes: %d objects (%d judged) in %d files; read and inventoried in %d ms,"
                    + " policies loaded in %d ms, evaluated on %d thread(s) in %d ms", all.size(), judged.size(),
                    inputs.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, ctx.parallelism(),
                    (t3 - t2) / 1_000_000));        } catch (PolicyException e) {
            for (Input in : inputs) {
                ctx.target(Target.failed(TargetType.KUBERNETES, in.name(), in.name(),
                        "the Kubernetes policies could not be loaded: " + firstLine(e.getMessage())));
            }
            return;
        }

        // 4. report, file by file, in the order read
        Set<String> warned = new HashSet<>();
        for (ResourceOutcome o : outcomes) {
            o.findings().forEach(ctx::finding);
            for (String w : o.warnings()) {
                if (warned.add(w)) {
                    ctx.warn(w);
                }
            }
            FileState st = states.get(o.resource().input());
            for (String e : o.errors()) {
                st.error(e);
            }
        }
        for (Input in : inputs) {
            FileState st = states.get(in);
            if (st.errorCount == 0) {
                ctx.target(Target.scanned(TargetType.KUBERNETES, in.name(), in.name()));
            } else {
                String reason = String.join("; ", st.errors)
                        + (st.errorCount > st.errors.size() ? " (and " + (st.errorCount - st.errors.size()) + " more)" : "");
                ctx.target(Target.failed(TargetType.KUBERNETES, in.name(), in.name(), reason));
            }
        }
    }

    /** The bundled modules and the user's. */
    private List<PolicyModule> modules() throws PolicyException {
        List<PolicyModule> modules = new ArrayList<>(policies.modules());
        modules.addAll(custom.modules());
        return modules;
    }

    private static String customSummary(Map<String, Integer> custom) {
        int total = custom.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder().append(total).append(" custom resource(s) inventoried, not checked"
                + " (no policy judges kinds outside Kubernetes' own API groups, nor a kubeconfig): ");
        int n = 0;
        for (Map.Entry<String, Integer> e : custom.entrySet()) {
            if (n++ == 6) {
                sb.append(", …");
                break;
            }
            sb.append(n > 1 ? ", " : "").append(e.getKey()).append(" ×").append(e.getValue());
        }
        return sb.toString();
    }

    /** {@code inventory[namespace][kind][name] = object}; the objects are shared, not copied. */
    private static ObjectNode inventory(List<Resource> all, ScanContext ctx) {
        ObjectNode inv = JsonNodeFactory.instance.objectNode();
        Map<String, Resource> seen = new LinkedHashMap<>();
        int duplicates = 0;
        String firstDuplicate = null;
        for (Resource r : all) {
            ObjectNode byKind = inv.has(r.namespace()) ? (ObjectNode) inv.get(r.namespace()) : inv.putObject(r.namespace());
            ObjectNode byName = byKind.has(r.kind()) ? (ObjectNode) byKind.get(r.kind()) : byKind.putObject(r.kind());
            byName.set(r.name(), r.object());
            Resource before = seen.put(r.id() + "\u0000" + r.apiVersion(), r);
            if (before != null) {
                duplicates++;
                if (firstDuplicate == null) {
                    firstDuplicate = r.id() + " (" + before.location() + " and " + r.location() + ")";
                }
            }
        }
        if (duplicates > 0) {
            ctx.warn(duplicates + " Kubernetes object(s) are defined more than once, e.g. " + firstDuplicate
                    + "; data.posture.inventory holds the last definition, each is checked");
        }
        return inv;
    }

    /**
     * Gatekeeper's referential data shape: {@code namespace[ns][apiVersion][kind][name]} for namespaced objects,
     * {@code cluster[apiVersion][kind][name]} for cluster-scoped ones (apiVersion as written: {@code apps/v1},
     * {@code v1}); the objects are shared, not copied.
     */
    static ObjectNode gatekeeperInventory(List<Resource> all) {
        ObjectNode inv = JsonNodeFactory.instance.objectNode();
        ObjectNode namespaced = inv.putObject("namespace");
        ObjectNode cluster = inv.putObject("cluster");
        for (Resource r : all) {
            ObjectNode at = r.namespace().isEmpty() ? cluster : child(namespaced, r.namespace());
            child(child(at, r.apiVersion()), r.kind()).set(r.name(), r.object());
        }
        return inv;
    }

    private static ObjectNode child(ObjectNode o, String key) {
        JsonNode c = o.get(key);
        return c instanceof ObjectNode on ? on : o.putObject(key);
    }

    /** What one resource produced. */
    private record ResourceOutcome(Resource resource, List<Finding> findings, List<String> errors, List<String> warnings) {
    }

    /** Evaluates every judged resource, on up to {@code ctx.parallelism()} threads; results in resource order. */
    private static List<ResourceOutcome> evaluate(List<Resource> judged, PolicyEngine.PackageEvaluator evaluator,
                                                  PolicyRules rules, CustomChecks checks, Set<String> customModules,
                                                  ScanContext ctx) {
        int n = judged.size();
        ResourceOutcome[] out = new ResourceOutcome[n];
        if (rules.packages().isEmpty() && checks == null) {
            for (int i = 0; i < n; i++) {
                out[i] = new ResourceOutcome(judged.get(i), List.of(), List.of(), List.of());
            }
            return List.of(out);
        }
        int threads = Math.min(ctx.parallelism(), (n + CHUNK - 1) / CHUNK);
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int start;
            while ((start = next.getAndAdd(CHUNK)) < n) {
                for (int i = start; i < Math.min(n, start + CHUNK); i++) {
                    out[i] = evaluateOne(judged.get(i), evaluator, rules, checks, customModules);
                }
            }
        };
        if (threads <= 1) {
            worker.run();
            return List.of(out);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "posture-kubernetes");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads - 1; t++) {
                fs.add(pool.submit(worker));
            }
            worker.run(); // the calling thread works too
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(out);
    }

    private static ResourceOutcome evaluateOne(Resource r, PolicyEngine.PackageEvaluator evaluator, PolicyRules rules,
                                               CustomChecks checks, Set<String> customModules) {
        PolicyEngine.Evaluation ev;
        List<Finding> custom = new ArrayList<>();
        List<String> customErrors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        IgnoreAnnotation ignore;
        try {
            ev = evaluator.evaluate(r.object());
            ignore = IgnoreAnnotation.of(r, rules, warnings);
            if (checks != null) {
                checks.evaluate(r, custom, customErrors, ignore);
            }
        } catch (RuntimeException | StackOverflowError e) {
            LOG.log(Level.FINE, "evaluating " + r.id() + " failed", e);
            return new ResourceOutcome(r, List.of(), List.of(r.id() + " at " + r.location()
                    + ": policy evaluation failed: " + firstLine(String.valueOf(e))), List.of());
        }
        List<Finding> findings = new ArrayList<>();
        for (PolicyEngine.PackageResult pr : ev.results()) {
            for (JsonNode result : pr.deny()) {
                Finding f = KubernetesFindings.finding(r, rules.rule(pr.pkg()), result);
                f = ignore == null ? f : ignore.apply(f);
                findings.add(customModules.contains(pr.pkg().module()) ? CustomRules.distinct(f) : f);
            }
        }
        findings.addAll(custom);
        List<String> errors = new ArrayList<>();
        for (PolicyEngine.PackageError e : ev.errors()) {
            errors.add(r.id() + " at " + r.location() + ": rule " + e.pkg().ruleName() + " failed: " + e.reason());
        }
        errors.addAll(customErrors);
        return new ResourceOutcome(r, findings, errors, warnings);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
