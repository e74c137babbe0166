package dev.posture.policy.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.model.Location;
import dev.posture.policy.ModuleIndex;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyMetadata;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicyRules;
import dev.posture.policy.RulePackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code --policy} directories (or files) into {@link CustomPolicies}, sorting each file into a convention,
 * and refuses — with the file named — anything it cannot place: policies are configuration, so a scan does not
 * start with a policy it would silently skip.
 *
 * <ul>
 *   <li>{@code *.rego} (not {@code *_test.rego}): a native package ({@code posture.kubernetes.*},
 *       {@code posture.image.*}), a Trivy check (METADATA {@code custom.input.selector}), a conftest namespace
 *       ({@code main}, or {@code --namespace}), or a library some other module of the directories refers to
 *       ({@code data.lib.k8s});</li>
 *   <li>{@code *.yaml}, {@code *.yml}, {@code *.json}: Gatekeeper ConstraintTemplates and Constraints, or data
 *       (a mapping without {@code apiVersion}/{@code kind}); gator's test suites and kustomizations are passed
 *       over;</li>
 *   <li>other files (README.md…) are passed over, as are hidden directories.</li>
 * </ul>
 */
public final class CustomPolicyLoader {
    private static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
    private static final Pattern DATA_REF = Pattern.compile("data\\.([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)");
    static final String GATEKEEPER_TARGET = "admission.k8s.gatekeeper.sh";

    private CustomPolicyLoader() {
    }

    /** One module read from a file, with what it is. */
    private record Read(PolicyModule module, String pkg, PolicyMetadata metadata, boolean template) {
    }

    /**
     * @param paths      directories or files given with {@code --policy}
     * @param namespaces conftest namespaces ({@code --namespace}); empty for {@code main}
     */
    public static CustomPolicies load(List<Path> paths, List<String> namespaces) throws PolicyException {
        List<String> ns = namespaces == null || namespaces.isEmpty() ? List.of(CustomPolicies.DEFAULT_NAMESPACE)
                : List.copyOf(namespaces);
        List<Read> rego = new ArrayList<>();
        Map<String, Gatekeeper.Template> templates = new LinkedHashMap<>();
        Map<String, String> templatePackages = new HashMap<>();
        List<Gatekeeper.Constraint> constraints = new ArrayList<>();
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        Map<String, String> dataFrom = new HashMap<>();
        Map<String, String> libs = new HashMap<>(); // package → source of a template lib already added
        for (Path root : paths) {
            if (!Files.exists(root)) {
                throw new PolicyException(root + ": no such file or directory");
            }
            for (Path f : files(root)) {
                String name = f.toString().replace('\\', '/');
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.endsWith("_test.rego")) {
                    continue; // tests: posture policy test runs them
                }
                if (lower.endsWith(".rego")) {
                    String src = read(f);
                    PolicyModule m = new PolicyModule(name, src, v0Only(name, src));
                    rego.add(new Read(m, ModuleIndex.packageOf(m), ModuleIndex.metadataOf(m), false));
                } else if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
                    String text = read(f);
                    DocumentParser.Parsed parsed = DocumentParser.parseDocuments(name, text,
                            DocumentParser.YamlSchema.KUBERNETES);
                    if (!parsed.errors().isEmpty()) {
                        InputException e = parsed.errors().get(0);
                        throw new PolicyException(e.getMessage());
                    }
                    String[] lines = text.split("\r?\n", -1);
                    for (ParsedDocument d : parsed.documents()) {
                        yaml(d, lines, rego, templates, templatePackages, constraints, data, dataFrom, libs);
                    }
                }
            }
        }
        // every constraint needs its template
        for (Gatekeeper.Constraint c : constraints) {
            if (!templates.containsKey(c.kind())) {
                throw new PolicyException(c.where() + ": constraint " + c.kind() + "/" + c.name()
                        + ": no ConstraintTemplate for kind " + c.kind() + " in the --policy directories (templates: "
                        + (templates.isEmpty() ? "none" : String.join(", ", templates.keySet())) + ")");
            }
        }
        classify(rego, ns, templatePackages.keySet());
        List<PolicyModule> modules = new ArrayList<>();
        rego.forEach(r -> modules.add(r.module()));
        return new CustomPolicies(modules, ns, templates, constraints, data);
    }

    /**
     * The Rego of the Gatekeeper ConstraintTemplates below {@code paths} (their {@code rego} and {@code libs}, v0
     * unless the template says v1), and the YAML files holding templates or constraints: for
     * {@code posture policy test}, so that {@code _test.rego} files beside a template can test its package.
     * Nothing else is judged here: other files are left to the test runner.
     */
    public record Templates(List<PolicyModule> modules, List<Path> files) {
    }

    public static Templates templates(List<Path> paths) throws PolicyException {
        List<Read> rego = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Map<String, Gatekeeper.Template> templates = new LinkedHashMap<>();
        Map<String, String> packages = new HashMap<>();
        Map<String, String> libs = new HashMap<>();
        for (Path root : paths) {
            if (!Files.exists(root)) {
                continue;
            }
            for (Path f : plainFiles(root)) {
                String name = f.toString().replace('\\', '/');
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (!(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))) {
                    continue;
                }
                String text;
                try {
                    text = read(f);
                } catch (PolicyException e) {
                    continue; // too large or unreadable: the test runner says so if it loads it
                }
                DocumentParser.Parsed parsed = DocumentParser.parseDocuments(name, text,
                        DocumentParser.YamlSchema.KUBERNETES);
                String[] lines = text.split("\r?\n", -1);
                boolean gatekeeper = false;
                for (ParsedDocument d : parsed.documents()) {
                    String apiVersion = d.root() == null ? "" : d.root().path("apiVersion").asText("");
                    if (apiVersion.startsWith("templates.gatekeeper.sh/")
                            && d.root().path("kind").asText().equals("ConstraintTemplate")) {
                        template(d, lines, rego, templates, packages, libs);
                        gatekeeper = true;
                    } else if (apiVersion.startsWith("constraints.gatekeeper.sh/")) {
                        gatekeeper = true;
                    }
                }
                if (gatekeeper) {
                    files.add(f);
                }
            }
        }
        List<PolicyModule> modules = new ArrayList<>();
        rego.forEach(r -> modules.add(r.module()));
        return new Templates(modules, files);
    }

    /**
     * The regular files below {@code root} (the root itself may be a link), without following links inside it and
     * passing over what cannot be read: the test runner decides about those.
     */
    private static List<Path> plainFiles(Path root) {
        List<Path> out = new ArrayList<>();
        try {
            Path start = root.toRealPath();
            Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        out.add(root.resolve(start.relativize(file)));
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    private static List<Path> files(Path root) throws PolicyException {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> s = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        Path rel = root.relativize(p);
                        for (Path seg : rel) {
                            if (seg.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PolicyException("cannot read policies in " + root + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path f) throws PolicyException {
        try {
            if (Files.size(f) > MAX_FILE_BYTES) {
                throw new PolicyException(f + ": policy file over " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a module is written in Rego v0 only (conftest's and OPA's older style, {@code deny[msg] { … }}): it
     * does not parse as v1 and does parse as v0. The syntax is decided here, once, and travels with the module, so
     * every engine reads it the same way; a module that parses as neither stays v1, whose error is reported.
     */
    static boolean v0Only(String name, String source) {
        try {
            dev.posture.rego.PolicySet.parse(name, source, dev.posture.rego.RegoVersion.V1);
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            try {
                dev.posture.rego.PolicySet.parse(name, source, dev.posture.rego.RegoVersion.V0);
                return true;
            } catch (RuntimeException | StackOverflowError e0) {
                return false;
            }
        }
    }

    /** One YAML/JSON document of a policy directory. */
    private static void yaml(ParsedDocument d, String[] lines, List<Read> rego, Map<String, Gatekeeper.Template> templates,
                             Map<String, String> templatePackages, List<Gatekeeper.Constraint> constraints,
                             ObjectNode data, Map<String, String> dataFrom, Map<String, String> libs)
            throws PolicyException {
        JsonNode root = d.root();
        Location at = d.sourceMap().at("");
        if (root == null || root.isNull() || root.isObject() && root.isEmpty()) {
            return;
        }
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.lastIndexOf('/')) : "";
        if (root.isObject() && apiVersion.isEmpty() && kind.isEmpty() && trivyExamples(root)) {
            return; // trivy-checks' example files beside its checks ({"kubernetes": {"good": [...], "bad": [...]}})
        }
        if (root.isObject() && apiVersion.isEmpty() && kind.isEmpty()) {
            // data, at the root of data (as conftest's --data)
            var it = root.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (CustomPolicies.RESERVED_DATA.contains(e.getKey())) {
                    throw new PolicyException(at + ": data file defines data." + e.getKey()
                            + ", which posture fills itself (data.posture, data.inventory, data.config)");
                }
                String before = dataFrom.put(e.getKey(), at.toString());
                if (before != null) {
                    throw new PolicyException(at + ": data." + e.getKey() + " is defined by " + before + " too");
                }
                data.set(e.getKey(), e.getValue());
            }
            return;
        }
        if (kind.equals("ConstraintTemplate") && group.equals("templates.gatekeeper.sh")) {
            template(d, lines, rego, templates, templatePackages, libs);
            return;
        }
        if (group.equals("constraints.gatekeeper.sh")) {
            JsonNode spec = root.path("spec");
            String name = root.path("metadata").path("name").asText("");
            if (name.isEmpty()) {
                throw new PolicyException(at + ": constraint " + kind + " has no metadata.name");
            }
            String action = spec.path("enforcementAction").asText("deny");
            if (!Set.of("deny", "warn", "dryrun").contains(action)) {
                throw new PolicyException(at + ": constraint " + kind + "/" + name + ": enforcementAction " + action
                        + " is none of deny, warn, dryrun");
            }
            for (Gatekeeper.Constraint c : constraints) {
                if (c.kind().equals(kind) && c.name().equals(name)) {
                    throw new PolicyException(at + ": constraint " + kind + "/" + name + " is defined at " + c.where()
                            + " too");
                }
            }
            constraints.add(new Gatekeeper.Constraint(kind, name, at.toString(), spec.get("match"),
                    spec.get("parameters"), action));
            return;
        }
        if (group.equals("test.gatekeeper.sh") || group.equals("kustomize.config.k8s.io")) {
            return; // gator's test suites, kustomizations: tools' files beside the policies
        }
        throw new PolicyException(at + ": " + (kind.isEmpty() ? "a document that is not a mapping"
                : "a " + kind + " (" + apiVersion + ")")
                + " is neither a Gatekeeper ConstraintTemplate nor a Constraint (constraints.gatekeeper.sh) nor"
                + " data (a mapping without apiVersion/kind); keep example manifests out of --policy directories");
    }

    /** A trivy-checks example file: every top-level value is a mapping of {@code good}/{@code bad} lists. */
    static boolean trivyExamples(JsonNode root) {
        if (root.isEmpty()) {
            return false;
        }
        var it = root.fields();
        while (it.hasNext()) {
            JsonNode v = it.next().getValue();
            if (!v.isObject() || v.isEmpty()) {
                return false;
            }
            var keys = v.fieldNames();
            while (keys.hasNext()) {
                String k = keys.next();
                if (!(k.equals("good") || k.equals("bad") || k.equals("links"))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void template(ParsedDocument d, String[] lines, List<Read> rego,
                                 Map<String, Gatekeeper.Template> templates, Map<String, String> templatePackages,
                                 Map<String, String> libs) throws PolicyException {
        JsonNode root = d.root();
        Location at = d.sourceMap().at("");
        String name = root.path("metadata").path("name").asText("");
        String kind = root.path("spec").path("crd").path("spec").path("names").path("kind").asText("");
        if (kind.isEmpty()) {
            throw new PolicyException(at + ": ConstraintTemplate " + name + " has no spec.crd.spec.names.kind");
        }
        JsonNode targets = root.path("spec").path("targets");
        String regoPointer = null;
        List<String> libPointers = new ArrayList<>();
        boolean v1 = false;
        for (int i = 0; i < targets.size(); i++) {
            JsonNode t = targets.get(i);
            if (!t.path("target").asText(GATEKEEPER_TARGET).equals(GATEKEEPER_TARGET)) {
                continue;
            }
            String base = "/spec/targets/" + i;
            if (t.path("rego").isTextual()) {
                regoPointer = base + "/rego";
                for (int j = 0; j < t.path("libs").size(); j++) {
                    libPointers.add(base + "/libs/" + j);
                }
            } else {
                JsonNode code = t.path("code");
                for (int k = 0; k < code.size(); k++) {
                    JsonNode c = code.get(k);
                    if (c.path("engine").asText().equals("Rego") && c.path("source").path("rego").isTextual()) {
                        regoPointer = base + "/code/" + k + "/source/rego";
                        v1 = c.path("source").path("version").asText("v0").equals("v1");
                        for (int j = 0; j < c.path("source").path("libs").size(); j++) {
                            libPointers.add(base + "/code/" + k + "/source/libs/" + j);
                        }
                    }
                }
            }
        }
        if (regoPointer == null) {
            throw new PolicyException(at + ": ConstraintTemplate " + name + " has no Rego for target "
                    + GATEKEEPER_TARGET + " (spec.targets[].rego); CEL-only templates are not run");
        }
        PolicyModule main = embedded(d, lines, regoPointer, !v1);
        String pkg = ModuleIndex.packageOf(main);
        if (pkg == null) {
            throw new PolicyException(d.sourceMap().at(regoPointer) + ": ConstraintTemplate " + name
                    + ": its Rego has no package line");
        }
        if (templates.containsKey(kind)) {
            throw new PolicyException(at + ": a second ConstraintTemplate for kind " + kind + " (first at "
                    + templates.get(kind).where() + ")");
        }
        if (templatePackages.containsKey(pkg)) {
            throw new PolicyException(at + ": ConstraintTemplate " + name + ": package " + pkg
                    + " is the package of ConstraintTemplate " + templatePackages.get(pkg) + " too; posture evaluates"
                    + " every template in one policy set, so packages must differ");
        }
        templatePackages.put(pkg, name);
        JsonNode ann = root.path("metadata").path("annotations");
        templates.put(kind, new Gatekeeper.Template(kind, name, pkg, at.toString(),
                text(ann.get("metadata.gatekeeper.sh/title")), text(ann.get("description"))));
        rego.add(new Read(main, pkg, PolicyMetadata.NONE, true));
        for (String lp : libPointers) {
            PolicyModule lib = embedded(d, lines, lp, !v1);
            String lpkg = ModuleIndex.packageOf(lib);
            String normal = lib.source().strip();
            if (lpkg != null && normal.equals(libs.get(lpkg))) {
                continue; // the same library embedded in several templates: loaded once
            }
            if (lpkg != null) {
                libs.put(lpkg, normal);
            }
            rego.add(new Read(lib, lpkg, PolicyMetadata.NONE, true));
        }
    }

    /**
     * The Rego text at a pointer of a YAML document, preceded by blank lines so that the engine's line numbers
     * are the YAML file's (a block scalar's text starts on the line after its {@code |}).
     */
    private static PolicyModule embedded(ParsedDocument d, String[] lines, String pointer, boolean v0) {
        Location loc = d.sourceMap().at(pointer);
        int first = loc.line();
        if (first > 0 && first <= lines.length) {
            String rest = lines[first - 1].substring(Math.min(lines[first - 1].length(), Math.max(0, loc.column() - 1)))
                    .strip();
            // the map's place may be the key's ("rego: |") or the indicator's ("|"): the text starts on the next line
            if (rest.isEmpty() || rest.matches("(?:-\\s*)?(?:[^\\s:]+:\\s*)?[|>][-+0-9]*\\s*(?:#.*)?")) {
                first++;
            }
        }
        String src = d.sourceMap().file();
        String text = d.root().at(pointer).asText();
        return new PolicyModule(src, "\n".repeat(Math.max(0, first - 1)) + text, v0);
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText().strip();
    }

    /** Every .rego file must be something posture runs, or a library one of those refers to. */
    private static void classify(List<Read> rego, List<String> namespaces, Set<String> templatePackages)
            throws PolicyException {
        Map<String, Set<String>> refsBy = new HashMap<>(); // module → data refs
        for (Read r : rego) {
            Set<String> refs = new HashSet<>();
            Matcher m = DATA_REF.matcher(r.module().source());
            while (m.find()) {
                refs.add(m.group(1));
            }
            // import data.lib.k8s as k8s / import data.lib: refs too (the regex finds them)
            refsBy.put(r.module().name() + "#" + System.identityHashCode(r), refs);
        }
        for (Read r : rego) {
            if (r.template()) {
                continue;
            }
            String pkg = r.pkg();
            String file = r.module().name();
            if (pkg == null) {
                throw new PolicyException(file + ":1: no package line: not a Rego module");
            }
            if (pkg.startsWith("posture.kubernetes.") || pkg.startsWith("posture.image.")) {
                continue; // native
            }
            if (!CustomPolicies.trivySelectors(r.metadata()).isEmpty()) {
                continue; // a Trivy check
            }
            if (namespaces.contains(pkg)) {
                continue; // conftest
            }
            if (templatePackages.contains(pkg)) {
                continue; // a Gatekeeper template's package, extended by a file
            }
            // a file in a folder named lib is a library (Trivy's lib/ holds helpers for every input type)
            boolean library = ("/" + file).contains("/lib/");
            for (Read o : rego) {
                if (library) {
                    break;
                }
                if (o == r) {
                    continue;
                }
                for (String ref : refsBy.get(o.module().name() + "#" + System.identityHashCode(o))) {
                    if (ref.equals(pkg) || ref.startsWith(pkg + ".") || pkg.startsWith(ref + ".")) {
                        library = true;
                        break;
                    }
                }
                if (library) {
                    break;
                }
            }
            if (!library) {
                throw new PolicyException(file + ": package " + pkg + " follows none of the conventions posture runs"
                        + " (posture.kubernetes.<name> or posture.image.<name>; conftest's namespace "
                        + String.join(", ", namespaces) + " (--namespace NS); a Trivy check with METADATA"
                        + " custom.input.selector; a Gatekeeper ConstraintTemplate) and no policy of the"
                        + " directories imports it as a library (nor is it in a folder named lib)");
            }
        }
    }

    /**
     * Checks the user's policies against the built-in ones of one analyzer before any scanning: they compile
     * together, and no native package or rule id of the user's takes a built-in one.
     *
     * @param prefix    the analyzer's package prefix ({@code posture.kubernetes})
     * @param idPrefix  the analyzer's assumed-id prefix ({@code k8s-})
     */
    public static void verify(CustomPolicies custom, PolicyEngine engine, List<PolicyModule> builtin, String prefix,
                              String idPrefix, dev.posture.model.Theme theme) throws PolicyException {
        if (custom.modules().isEmpty()) {
            return;
        }
        List<PolicyModule> all = new ArrayList<>(builtin);
        all.addAll(custom.modules());
        try (PolicyEngine.LoadedPolicies loaded = engine.load(all, null, dev.posture.policy.EvalLimits.DEFAULT)) {
            Set<String> mine = custom.moduleNames();
            List<RulePackage> builtinPkgs = new ArrayList<>();
            List<RulePackage> customPkgs = new ArrayList<>();
            for (RulePackage p : loaded.packages(prefix)) {
                (mine.contains(p.module()) ? customPkgs : builtinPkgs).add(p);
            }
            Set<String> builtinModules = new HashSet<>();
            builtin.forEach(m -> builtinModules.add(m.name()));
            Map<String, String> builtinPackageFile = new HashMap<>();
            for (PolicyModule m : builtin) {
                String pkg = ModuleIndex.packageOf(m);
                if (pkg != null) {
                    builtinPackageFile.putIfAbsent(pkg, m.name());
                }
            }
            for (PolicyModule m : custom.modules()) {
                String pkg = ModuleIndex.packageOf(m);
                if (pkg != null && builtinPackageFile.containsKey(pkg)) {
                    throw new PolicyException(m.name() + ": package " + pkg + " is a built-in package ("
                            + builtinPackageFile.get(pkg) + "); name yours differently");
                }
            }
            PolicyRules builtinRules = PolicyRules.of(builtinPkgs, idPrefix, theme, w -> { });
            Map<String, String> ids = new HashMap<>();
            for (RulePackage p : customPkgs) {
                if (!p.defines("deny")) {
                    continue;
                }
                String id = CustomRules.nativeRule(p, theme, w -> { }).id();
                if (builtinRules.byId().containsKey(id)) {
                    throw new PolicyException(p.module() + ": rule id " + id + " (package " + p.path()
                            + ") is the id of a built-in rule; give custom.id another value");
                }
                String before = ids.put(id, p.module());
                if (before != null) {
                    throw new PolicyException(p.module() + ": rule id " + id + " (package " + p.path()
                            + ") is used by " + before + " too");
                }
            }
        }
    }
}
