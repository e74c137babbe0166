package dev.posture.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageReference;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.ImageSources;
import dev.posture.model.Location;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicyRules;
import dev.posture.policy.PolicySources;
import dev.posture.policy.custom.CustomPolicies;
import dev.posture.policy.custom.CustomRules;
import dev.posture.policy.custom.TrivyDockerfile;
import dev.posture.scan.Analyzer;
import dev.posture.scan.ScanContext;
import dev.posture.source.Input;
import dev.posture.source.InputKind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container half at build time: each image (a registry reference, {@code daemon://…}, a {@code docker save}
 * or OCI archive, an OCI layout directory) is read in one streaming pass by the {@link ImageInspector}, its facts
 * written as the policies' input ({@link ImageDocument}) and judged by the Rego policies under
 * {@code posture.image.*} (bundled from {@code policies/image/}) through a {@link PolicyEngine}. Each image is one
 * target: scanned, or failed with the reason (unreachable registry, digest mismatch, corrupt layer…) while the scan
 * goes on.
 */
public final class ImageAnalyzer implements Analyzer {
    /** The image policies' rules (their METADATA), once loaded. */
    @Override
    public synchronized List<dev.posture.model.Rule> rules(TargetType type) {
        if (type != TargetType.IMAGE || loaded == null || loaded.rules() == null) {
            return List.of();
        }
        List<dev.posture.model.Rule> out = new ArrayList<>(loaded.rules().byId().values());
        if (options.vulnDb() != null) {
            out.add(dev.posture.vuln.VulnFindings.check(dev.posture.model.Surface.CONTAINER));
        }
        if (!options.verifyKeys().isEmpty()) {
            out.add(dev.posture.image.signature.SignatureRules.UNSIGNED);
            out.add(dev.posture.image.signature.SignatureRules.INVALID);
        }
        return out;
    }
    private static final Logger LOG = Logger.getLogger(ImageAnalyzer.class.getName());

    /** The packages that are rules: {@code posture.image.<name>}. */
    public static final String PACKAGE_PREFIX = "posture.image";

    /** Where the policy modules come from. */
    @FunctionalInterface
    public interface PolicyProvider {
        List<PolicyModule> modules() throws PolicyException;
    }

    /** Opens the source of a target ({@link ImageSources#open} outside tests). */
    @FunctionalInterface
    public interface SourceOpener {
        ImageSource open(String target, java.nio.file.Path pathOrNull, dev.posture.image.source.SourceOptions options)
                throws ImageException;
    }

    private final PolicyProvider policies;
    private final SourceOpener opener;
    private final PolicyEngine engine;
    private final EvalLimits limits;
    private final ImageOptions options;
    private Loaded loaded; // once per analyzer (one scan), guarded by this

    /** The policies compiled once, or why they could not be. */
    private record Loaded(PolicyEngine.LoadedPolicies policies, PolicyRules rules,
                          PolicyEngine.PackageEvaluator evaluator, PolicyEngine.PackageEvaluator trivy,
                          java.util.Map<String, dev.posture.model.Rule> trivyRules, String error) {
    }

    private final CustomPolicies custom;

    public ImageAnalyzer(PolicyProvider policies, PolicyEngine engine, EvalLimits limits, ImageOptions options) {
        this(policies, engine, limits, options, ImageSources::open);
    }

    public ImageAnalyzer(PolicyProvider policies, PolicyEngine engine, EvalLimits limits, ImageOptions options,
                         SourceOpener opener) {
        this(policies, engine, limits, options, opener, CustomPolicies.NONE);
    }

    /** @param custom the user's policies ({@code --policy}): native {@code posture.image.*} and Trivy dockerfile checks */
    public ImageAnalyzer(PolicyProvider policies, PolicyEngine engine, EvalLimits limits, ImageOptions options,
                         SourceOpener opener, CustomPolicies custom) {
        this.opener = opener;
        this.policies = policies;
        this.engine = engine;
        this.limits = limits;
        this.options = options;
        this.custom = custom == null ? CustomPolicies.NONE : custom;
    }

    /** The bundled policies on the embedded engine, default budgets. */
    public static ImageAnalyzer withBundledPolicies(ImageOptions options) {
        return withBundledPolicies(new EmbeddedRegoEngine(), options, CustomPolicies.NONE);
    }

    /** The bundled policies on {@code engine} (an OPA server), default budgets. */
    public static ImageAnalyzer withBundledPolicies(PolicyEngine engine, ImageOptions options) {
        return withBundledPolicies(engine, options, CustomPolicies.NONE);
    }

    /** The bundled policies and the user's, on the embedded engine, default budgets. */
    public static ImageAnalyzer withBundledPolicies(ImageOptions options, CustomPolicies custom) {
        return withBundledPolicies(new EmbeddedRegoEngine(), options, custom);
    }

    /** The bundled policies and the user's ({@code --policy}) on {@code engine}, default budgets. */
    public static ImageAnalyzer withBundledPolicies(PolicyEngine engine, ImageOptions options, CustomPolicies custom) {
        return new ImageAnalyzer(() -> PolicySources.bundled("policies/image"), engine, EvalLimits.DEFAULT, options,
                ImageSources::open, custom);
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public boolean accepts(Input input) {
        return input.kind() == InputKind.IMAGE_ARCHIVE || input.kind() == InputKind.IMAGE_REF;
    }

    @Override
    public TargetType targetType(Input input) {
        return TargetType.IMAGE;
    }

    @Override
    public void analyze(List<Input> inputs, ScanContext ctx) {
        preload(ctx);
        for (Input in : inputs) {
            analyzeOne(in, ctx);
        }
    }

    private void analyzeOne(Input in, ScanContext ctx) {
        String name = in.name();
        String from = in.path() != null ? in.name() : name.startsWith("daemon://") ? "daemon" : "registry";
        ImageFacts facts;
        dev.posture.image.signature.CosignSignatures.Verdict signature = null;
        String unverifiable = null;
        long t0 = System.nanoTime();
        try (ImageSource source = opener.open(name, in.path(), options.sources())) {
            ImageReference given = in.kind() == InputKind.IMAGE_REF && !name.startsWith("daemon://")
                    && in.path() == null ? parse(name) : null;
            if (name.startsWith("daemon://")) {
                given = parse(name.substring("daemon://".length()));
            }
            facts = new ImageInspector(options.limits(), ctx.parallelism(), options.vulnDb() != null)
                    .inspect(name, given, source);
            if (!options.verifyKeys().isEmpty()) {
                if (source instanceof dev.posture.image.source.RegistrySource registry) {
                    var lookup = registry.cosignSignatures();
                    signature = dev.posture.image.signature.CosignSignatures.verify(lookup.candidates(),
                            options.verifyKeys(), lookup.digest());
                } else {
                    unverifiable = "read from " + source.kind() + ", where signatures cannot be checked (they live"
                            + " in a registry)";
                }
            }
        } catch (ImageException e) {
            ctx.target(Target.failed(TargetType.IMAGE, name, from, oneLine(e.getMessage())));
            return;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "reading " + name + " failed", e);
            ctx.target(Target.failed(TargetType.IMAGE, name, from, name + ": " + oneLine(String.valueOf(e))));
            return;
        }
        long t1 = System.nanoTime();
        for (String w : facts.warnings()) {
            ctx.warn(name + ": " + w);
        }
        Loaded l = loaded(ctx);
        long tLoaded = System.nanoTime();
        if (l.error() != null) {
            ctx.target(Target.failed(TargetType.IMAGE, name, from, l.error()));
            return;
        }
        TargetRef target = new TargetRef(TargetType.IMAGE, name);
        String resource = resource(facts);
        Location location = in.path() != null ? Location.ofFile(in.name()) : null;
        ObjectNode document = ImageDocument.of(facts, ctx.clock().instant());
        PolicyEngine.Evaluation ev;
        try {
            ev = l.evaluator().evaluate(document);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.log(Level.FINE, "evaluating " + name + " failed", e);
            ctx.target(Target.failed(TargetType.IMAGE, name, from,
                    name + ": policy evaluation failed: " + oneLine(String.valueOf(e))));
            return;
        }
        for (PolicyEngine.PackageResult pr : ev.results()) {
            for (JsonNode result : pr.deny()) {
                dev.posture.model.Finding f = ImageFindings.finding(facts, target, resource, location,
                        l.rules().rule(pr.pkg()), result);
                ctx.finding(custom.moduleNames().contains(pr.pkg().module()) ? CustomRules.distinct(f) : f);
            }
        }
        List<String> errors = new ArrayList<>();
        for (PolicyEngine.PackageError e : ev.errors()) {
            errors.add("rule " + e.pkg().ruleName() + " failed: " + e.reason());
        }
        if (l.trivy() != null) {
            // Trivy's dockerfile checks: the Dockerfile Trivy reconstructs from the image's config and history
            TrivyDockerfile df = TrivyDockerfile.of(document);
            PolicyEngine.Evaluation tev;
            try {
                tev = l.trivy().evaluate(df.input());
            } catch (RuntimeException | StackOverflowError e) {
                tev = new PolicyEngine.Evaluation(List.of(), List.of());
                errors.add("Trivy checks failed: " + oneLine(String.valueOf(e)));
            }
            for (PolicyEngine.PackageResult pr : tev.results()) {
                for (JsonNode result : pr.deny()) {
                    ctx.finding(CustomRules.distinct(ImageFindings.finding(facts, target, resource, location,
                            l.trivyRules().get(pr.pkg().path()), trivyResult(result, df))));
                }
            }
            for (PolicyEngine.PackageError e : tev.errors()) {
                errors.add("Trivy check " + e.pkg().ruleName() + " failed: " + e.reason());
            }
        }
        if (signature != null && !signature.valid()) {
            boolean none = signature.reason().equals("no cosign signature");
            ctx.finding(dev.posture.model.Finding.builder(none ? dev.posture.image.signature.SignatureRules.UNSIGNED
                            : dev.posture.image.signature.SignatureRules.INVALID, target)
                    .resource(resource).location(location).logicalLocation(resource).logicalPath("signature")
                    .message(resource + ": " + signature.reason()).build());
        } else if (unverifiable != null) {
            if (options.requireSignature()) {
                ctx.finding(dev.posture.model.Finding.builder(dev.posture.image.signature.SignatureRules.UNSIGNED,
                                target).resource(resource).location(location).logicalLocation(resource)
                        .logicalPath("signature").message(resource + ": " + unverifiable + "; --require-signature")
                        .build());
            } else {
                ctx.warn(name + ": signature not checked: " + unverifiable);
            }
        }
        if (options.vulnDb() != null) {
            List<String> notes = new ArrayList<>();
            var matches = new dev.posture.vuln.VulnMatcher(options.vulnDb()).match(
                    dev.posture.vuln.ImageVulnerabilities.packages(facts, notes::add), notes::add);
            for (var m : matches) {
                ctx.finding(dev.posture.vuln.VulnFindings.finding(m, dev.posture.model.Surface.CONTAINER, target,
                        resource, location));
            }
            notes.forEach(w -> ctx.warn(name + ": " + w));
        }
        long t2 = System.nanoTime();
        LOG.fine(() -> String.format("image %s: read in %d ms (%d layers, %d files), policies ready %d ms later,"
                + " judged in %d ms", name, (t1 - t0) / 1_000_000, facts.layers().size(), facts.files().count(),
                (tLoaded - t1) / 1_000_000, (t2 - tLoaded) / 1_000_000));
        if (errors.isEmpty()) {
            ctx.target(Target.scanned(TargetType.IMAGE, name, from));
        } else {
            ctx.target(Target.failed(TargetType.IMAGE, name, from, name + ": " + String.join("; ", errors)));
        }
    }

    /** A Trivy result ({@code result.new}) as an image result: its message, and the line's origin as key. */
    private static JsonNode trivyResult(JsonNode result, TrivyDockerfile df) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!result.isObject()) {
            out.set("msg", result);
            return out;
        }
        out.set("msg", result.has("msg") ? result.get("msg") : JsonNodeFactory.instance.textNode(""));
        int line = result.path("startline").asInt(0);
        if (line >= 1 && line <= df.keys().size()) {
            out.put("key", df.keys().get(line - 1));
        }
        return out;
    }

    /** What the findings name: the reference the image is known by (an archive's tag), else its name. */
    static String resource(ImageFacts facts) {
        if (facts.source().equals("registry") || facts.source().equals("daemon") || facts.reference() == null
                || facts.reference().repository() == null) {
            return facts.name();
        }
        return facts.reference().toString().replaceFirst("^" + ImageReference.DOCKER_HUB + "/(library/)?", "");
    }

    private static ImageReference parse(String ref) {
        try {
            return ImageReference.parse(ref);
        } catch (IllegalArgumentException e) {
            return null; // the source says what is wrong with it
        }
    }

    private boolean preloading;

    /**
     * Compiles the policies on another thread while the first image is read: a scan of one image would otherwise
     * pay for both one after the other (a Debian base: ~0.3 s of ~2 s).
     */
    private synchronized void preload(ScanContext ctx) {
        if (loaded != null || preloading) {
            return;
        }
        preloading = true;
        Thread t = new Thread(() -> loaded(ctx), "posture-image-policies");
        t.setDaemon(true);
        t.start();
    }

    private synchronized Loaded loaded(ScanContext ctx) {
        if (loaded == null) {
            try {
                ObjectNode data = JsonNodeFactory.instance.objectNode();
                data.putObject("config").put("image_max_age_days", options.maxAgeDays());
                custom.withData(data);
                List<PolicyModule> modules = new ArrayList<>(policies.modules());
                modules.addAll(custom.modules());
                PolicyEngine.LoadedPolicies p = engine.load(modules, data, limits);
                PolicyRules rules = CustomRules.withNative(p.packages(PACKAGE_PREFIX), custom.moduleNames(), "img-",
                        Theme.IMAGE, ctx::warn);
                List<dev.posture.policy.RulePackage> trivy = new ArrayList<>();
                java.util.Map<String, dev.posture.model.Rule> trivyRules = new java.util.HashMap<>();
                for (dev.posture.policy.RulePackage pkg : p.packages("")) {
                    if (custom.trivy(pkg, "dockerfile") && pkg.defines("deny")) {
                        trivy.add(pkg);
                        trivyRules.put(pkg.path(), CustomRules.trivyRule(pkg, Theme.IMAGE, ctx::warn));
                    }
                }
                if (rules.packages().isEmpty() && trivy.isEmpty()) {
                    ctx.warn("no image policies (packages " + PACKAGE_PREFIX + ".*) were found: images were read,"
                            + " not judged");
                }
                if (!trivyRules.isEmpty()) {
                    java.util.Map<String, dev.posture.model.Rule> ids = new java.util.HashMap<>();
                    trivyRules.values().forEach(r -> ids.put(r.id(), r));
                    ids.putAll(rules.byId());
                    rules = new PolicyRules(rules.packages(), rules.byPackage(), ids);
                }
                loaded = new Loaded(p, rules, p.evaluator(rules.packages()),
                        trivy.isEmpty() ? null : p.evaluator(trivy, "deny"::equals), trivyRules, null);
            } catch (PolicyException e) {
                loaded = new Loaded(null, null, null, null, null, "the image policies could not be loaded: "
                        + oneLine(e.getMessage()));
            }
        }
        return loaded;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
