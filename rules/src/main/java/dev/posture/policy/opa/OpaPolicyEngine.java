package dev.posture.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.ModuleIndex;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.RulePackage;
import dev.posture.rego.PolicySet;
import dev.posture.rego.RegoError;
import dev.posture.rego.RegoVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link PolicyEngine} on an OPA server, through its documented REST API (Health, Policy and Data APIs).
 *
 * <ul>
 *   <li>{@link #connect} checks {@code GET /health};</li>
 *   <li>{@link #load} uploads the modules ({@code PUT /v1/policies/posture/<module name>}, raw Rego; skipped with
 *       {@link OpaOptions#push()} off, for a server that has them from a bundle) and the base {@code data} at the
 *       shallowest paths that overlap no package of the modules ({@code PUT /v1/data/inventory}); package METADATA
 *       is read on this side by {@link ModuleIndex}, as for the embedded engine;</li>
 *   <li>an evaluator asks for the packages' documents with one {@code POST /v1/data/<common package prefix>} per
 *       input ({@code {"input": …}}; no {@code result} means undefined: no findings), and when that request fails,
 *       one request per package, so the error names the package (OPA's code and message) and the other packages
 *       still count;</li>
 *   <li>{@link #close} deletes what was uploaded, best effort.</li>
 * </ul>
 *
 * OPA has no step budget: {@link EvalLimits} are not sent; {@link OpaOptions#timeout()} bounds each request.
 */
public final class OpaPolicyEngine implements PolicyEngine, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpaPolicyEngine.class.getName());
    /** Policy ids of uploaded modules start with this. */
    public static final String ID_PREFIX = "posture/";
    private static final Pattern PACKAGE = Pattern.compile(
            "^[ \\t]*package[ \\t]+([A-Za-z_][A-Za-z0-9_]*(?:(?:\\.[A-Za-z_][A-Za-z0-9_]*)|(?:\\[\"[^\"\\n]*\"\\]))*)",
            Pattern.MULTILINE);

    private final OpaOptions options;
    private final OpaClient client;
    /** Uploaded policy id → hash of its source. */
    private final Map<String, String> pushed = new LinkedHashMap<>();
    /** Policy id → module name, to map OPA's error locations back. */
    private final Map<String, String> names = new LinkedHashMap<>();
    /** Data paths written (segments joined by '/', encoded). */
    private final Set<String> dataPaths = new LinkedHashSet<>();

    private OpaPolicyEngine(OpaOptions options, OpaClient client) {
        this.options = options;
        this.client = client;
    }

    /** A client for the server, after {@code GET /health} said it is healthy. */
    public static OpaPolicyEngine connect(OpaOptions options) throws PolicyException {
        OpaPolicyEngine e = new OpaPolicyEngine(options, new OpaClient(options));
        e.checkHealth();
        return e;
    }

    public OpaOptions options() {
        return options;
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return client.requests();
    }

    @Override
    public String name() {
        return "opa at " + options.display();
    }

    /** {@code GET /health}: a clear error when the server cannot be reached or is not healthy. */
    public void checkHealth() throws PolicyException {
        try {
            client.get("/health");
        } catch (OpaException e) {
            if (e.noAnswer()) {
                throw new PolicyException(name() + ": cannot reach the server (" + e.getMessage() + ")", e);
            }
            if (e.status() == 401 || e.status() == 403) {
                throw new PolicyException(name() + ": the server refused the request (" + e.getMessage()
                        + "); check --opa-token / --opa-token-file", e);
            }
            throw new PolicyException(name() + " is not healthy (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Uploads the modules not uploaded yet (or changed) with the Policy API. Modules whose package defines no
     * result document (libraries) go first; a module OPA refuses is tried again after the others (it may use one
     * uploaded later); what is still refused then is reported with OPA's per-location errors.
     *
     * @throws PolicyException naming each refused module's {@code file:row:col} lines
     */
    public synchronized void push(List<PolicyModule> modules) throws PolicyException {
        // several modules may come from one file (a ConstraintTemplate's Rego and libs): the second and later get
        // "~2", "~3" … so that none overwrites another; the same list gives the same ids
        Map<PolicyModule, String> ids = new java.util.IdentityHashMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (PolicyModule m : modules) {
            String base = id(m.name());
            int n = seen.merge(base, 1, Integer::sum);
            ids.put(m, n == 1 ? base : base + "~" + n);
        }
        List<PolicyModule> todo = new ArrayList<>();
        for (PolicyModule m : modules) {
            String id = ids.get(m);
            if (!hash(m.source()).equals(pushed.get(id))) {
                todo.add(m);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        // libraries first, else in the given order
        List<PolicyModule> libs = new ArrayList<>();
        List<PolicyModule> rules = new ArrayList<>();
        ModuleIndex index = ModuleIndex.of(todo);
        Set<String> rulePackages = new java.util.HashSet<>();
        for (RulePackage p : index.packages("")) {
            rulePackages.add(p.path());
        }
        for (PolicyModule m : todo) {
            String pkg = packageOf(m.source());
            (pkg != null && rulePackages.contains(pkg) ? rules : libs).add(m);
        }
        todo = new ArrayList<>(libs);
        todo.addAll(rules);
        Map<PolicyModule, OpaException> refused = new LinkedHashMap<>();
        while (!todo.isEmpty()) {
            refused.clear();
            for (PolicyModule m : todo) {
                String id = ids.get(m);
                try {
                    client.send("PUT", "/v1/policies/" + idPath(id), "text/plain",
                            m.source().getBytes(StandardCharsets.UTF_8));
                    pushed.put(id, hash(m.source()));
                    names.put(id, m.name());
                } catch (OpaException e) {
                    if (e.status() == 400 && retriedAsV1(id, m, e)) {
                        continue;
                    }
                    if (e.status() != 400) {
                        throw new PolicyException(name() + ": cannot upload " + m.name() + " (" + e.getMessage() + ")"
                                + authHint(e), e);
                    }
                    names.put(id, m.name());
                    refused.put(m, e);
                }
            }
            if (refused.size() == todo.size()) {
                break;
            }
            todo = new ArrayList<>(refused.keySet());
        }
        if (!refused.isEmpty()) {
            throw new PolicyException(refusal(refused));
        }
    }

    private String authHint(OpaException e) {
        return e.status() == 401 || e.status() == 403 ? "; check --opa-token / --opa-token-file" : "";
    }

    private String refusal(Map<PolicyModule, OpaException> refused) {
        StringBuilder sb = new StringBuilder();
        sb.append(name()).append(" refused ").append(refused.size()).append(" module(s):");
        for (Map.Entry<PolicyModule, OpaException> r : refused.entrySet()) {
            OpaException e = r.getValue();
            sb.append("\n  ").append(r.getKey().name()).append(": ");
            if (e.code() != null) {
                sb.append(e.code()).append(": ");
            }
            sb.append(e.opaMessage());
            boolean parse = false;
            for (OpaException.Detail d : e.details()) {
                String file = d.file() == null ? null : names.getOrDefault(d.file(), d.file());
                sb.append("\n    ").append(new OpaException.Detail(d.code(), d.message(), file, d.row(), d.col()).describe());
                parse |= "rego_parse_error".equals(d.code());
            }
            if (parse && isV0(r.getKey())) {
                sb.append("\n    ").append(r.getKey().name()).append(" is written in Rego v0: start OPA with"
                        + " --v0-compatible (or serve it in a bundle from 'posture policy bundle', which marks each"
                        + " file's Rego version)");
            }
        }
        return sb.toString();
    }

    /**
     * A server started with {@code --v0-compatible} reads a module without {@code import rego.v1} as v0, so it
     * cannot parse posture's own (v1) modules: such a module is uploaded again with that import after its package
     * line (a no-op in v1; the rules' lines shift by one).
     */
    private boolean retriedAsV1(String id, PolicyModule m, OpaException e) throws PolicyException {
        boolean parse = e.details().stream().anyMatch(d -> "rego_parse_error".equals(d.code()));
        if (!parse || m.source().contains("import rego.v1") || isV0(m)) {
            return false;
        }
        Matcher pm = PACKAGE.matcher(m.source());
        if (!pm.find()) {
            return false;
        }
        int eol = m.source().indexOf('\n', pm.end());
        String patched = eol < 0 ? m.source() + "\nimport rego.v1\n"
                : m.source().substring(0, eol) + "\nimport rego.v1" + m.source().substring(eol);
        try {
            client.send("PUT", "/v1/policies/" + idPath(id), "text/plain", patched.getBytes(StandardCharsets.UTF_8));
        } catch (OpaException again) {
            return false;
        }
        pushed.put(id, hash(m.source()));
        names.put(id, m.name());
        LOG.fine(() -> name() + ": " + m.name() + " uploaded with 'import rego.v1' (the server reads modules as v0)");
        return true;
    }

    /** Rego v0 syntax: v1 cannot parse it, v0 can. */
    static boolean isV0(PolicyModule m) {
        try {
            PolicySet.parse(m.name(), m.source(), RegoVersion.V1);
            return false;
        } catch (RegoError e) {
            try {
                PolicySet.parse(m.name(), m.source(), RegoVersion.V0);
                return true;
            } catch (RegoError e2) {
                return false;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code posture/<module name>}, without leading slashes or dot segments. */
    static String id(String moduleName) {
        List<String> segs = new ArrayList<>();
        for (String s : moduleName.replace('\\', '/').split("/")) {
            if (!s.isEmpty() && !s.equals(".") && !s.equals("..")) {
                segs.add(s);
            }
        }
        return ID_PREFIX + String.join("/", segs);
    }

    private static String idPath(String id) {
        List<String> out = new ArrayList<>();
        for (String s : id.split("/")) {
            out.add(OpaClient.segment(s));
        }
        return String.join("/", out);
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The module's package, dotted ({@code a.b["c-d"]} → {@code a.b.c-d}), or null. */
    static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        return m.find() ? m.group(1).replaceAll("\\[\"([^\"]*)\"\\]", ".$1") : null;
    }

    @Override
    public LoadedPolicies load(List<PolicyModule> modules, JsonNode data, EvalLimits limits) throws PolicyException {
        ModuleIndex index = ModuleIndex.of(modules);
        if (options.push()) {
            push(modules);
        }
        List<String> written = new ArrayList<>();
        if (data != null && !data.isNull()) {
            if (!data.isObject()) {
                throw new PolicyException(name() + ": base data must be an object");
            }
            Set<List<String>> packages = new java.util.HashSet<>();
            for (PolicyModule m : modules) {
                String p = packageOf(m.source());
                if (p != null) {
                    packages.add(Arrays.asList(p.split("\\.")));
                }
            }
            Map<List<String>, JsonNode> at = dataPaths((ObjectNode) data, packages);
            for (Map.Entry<List<String>, JsonNode> e : at.entrySet()) {
                String path = String.join("/", e.getKey().stream().map(OpaClient::segment).toList());
                try {
                    client.send("PUT", "/v1/data/" + path, "application/json", OpaClient.JSON.writeValueAsBytes(e.getValue()));
                } catch (OpaException ex) {
                    throw new PolicyException(name() + ": cannot write data." + String.join(".", e.getKey()) + " ("
                            + ex.getMessage() + ")" + authHint(ex), ex);
                } catch (IOException ex) {
                    throw new PolicyException(name() + ": cannot serialise data: " + ex.getMessage(), ex);
                }
                synchronized (this) {
                    dataPaths.add(path);
                }
                written.add(path);
            }
        }
        return new Loaded(index, written);
    }

    /**
     * Where to write base data: each top-level key of {@code data}, unless a package path lies at or below it (or
     * it lies below a package): then its keys, one level down, and so on. A non-object value where a package is
     * cannot be written and is refused.
     */
    static Map<List<String>, JsonNode> dataPaths(ObjectNode data, Collection<List<String>> packages) throws PolicyException {
        Map<List<String>, JsonNode> out = new LinkedHashMap<>();
        walk(List.of(), data, packages, out);
        return out;
    }

    private static void walk(List<String> prefix, ObjectNode node, Collection<List<String>> packages,
                             Map<List<String>, JsonNode> out) throws PolicyException {
        var it = node.fields();
        while (it.hasNext()) {
            var f = it.next();
            List<String> p = new ArrayList<>(prefix);
            p.add(f.getKey());
            List<String> overlapping = null;
            for (List<String> pkg : packages) {
                if (startsWith(pkg, p) || startsWith(p, pkg)) {
                    overlapping = pkg;
                    break;
                }
            }
            if (overlapping == null) {
                out.put(List.copyOf(p), f.getValue());
            } else if (f.getValue().isObject() && !startsWith(p, overlapping)) {
                walk(p, (ObjectNode) f.getValue(), packages, out);
            } else {
                throw new PolicyException("data." + String.join(".", p) + " overlaps package "
                        + String.join(".", overlapping) + ": OPA cannot hold both");
            }
        }
    }

    private static boolean startsWith(List<String> l, List<String> prefix) {
        return l.size() >= prefix.size() && l.subList(0, prefix.size()).equals(prefix);
    }

    /** Deletes what this engine uploaded: data, then modules; best effort (failures are logged with -v). */
    @Override
    public synchronized void close() {
        for (String p : new ArrayList<>(dataPaths)) {
            delete("/v1/data/" + p);
        }
        dataPaths.clear();
        List<String> ids = new ArrayList<>(pushed.keySet());
        java.util.Collections.reverse(ids); // rule modules before the libraries they use
        for (String id : ids) {
            delete("/v1/policies/" + idPath(id));
        }
        pushed.clear();
    }

    private void delete(String path) {
        try {
            client.send("DELETE", path, null, null);
        } catch (OpaException e) {
            if (e.status() != 404) {
                LOG.log(Level.FINE, name() + ": cleaning up: " + e.getMessage());
            }
        }
    }

    private final class Loaded implements LoadedPolicies {
        private final ModuleIndex index;
        private final List<String> written;

        Loaded(ModuleIndex index, List<String> written) {
            this.index = index;
            this.written = written;
        }

        @Override
        public List<RulePackage> packages(String prefix) {
            return index.packages(prefix);
        }

        @Override
        public PackageEvaluator evaluator(List<RulePackage> packages, Predicate<String> documents) throws PolicyException {
            Evaluator ev = new Evaluator(List.copyOf(packages), documents);
            if (!options.push()) {
                ev.checkPresent();
            }
            return ev;
        }

        @Override
        public void close() {
            synchronized (OpaPolicyEngine.this) {
                for (String p : written) {
                    if (dataPaths.remove(p)) {
                        delete("/v1/data/" + p);
                    }
                }
            }
        }
    }

    /** Packages evaluated together: one request at their common prefix. */
    private record Group(List<String> prefix, List<Integer> members) {
    }

    private final class Evaluator implements PackageEvaluator {
        private final List<RulePackage> packages;
        private final List<List<String>> docs = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();

        Evaluator(List<RulePackage> packages, Predicate<String> documents) {
            this.packages = packages;
            Map<String, List<Integer>> byRoot = new TreeMap<>();
            for (int i = 0; i < packages.size(); i++) {
                RulePackage p = packages.get(i);
                List<String> d = new ArrayList<>();
                for (String doc : new TreeSet<>(p.documents())) {
                    if (documents.test(doc)) {
                        d.add(doc);
                    }
                }
                docs.add(d);
                if (!d.isEmpty()) {
                    byRoot.computeIfAbsent(p.path().split("\\.")[0], k -> new ArrayList<>()).add(i);
                }
            }
            for (List<Integer> members : byRoot.values()) {
                List<String> prefix = null;
                for (int i : members) {
                    List<String> segs = Arrays.asList(packages.get(i).path().split("\\."));
                    if (prefix == null) {
                        prefix = segs;
                    } else {
                        int n = 0;
                        while (n < prefix.size() && n < segs.size() && prefix.get(n).equals(segs.get(n))) {
                            n++;
                        }
                        prefix = prefix.subList(0, n);
                    }
                }
                groups.add(new Group(List.copyOf(prefix), members));
            }
        }

        /**
         * Without upload, the server must have the modules already: a server that has none of a prefix's packages
         * (no bundle loaded, another prefix) would make every input look clean, so that is an error. One request
         * with an empty input per prefix; a failing request proves nothing and is let pass (inputs report errors).
         */
        void checkPresent() throws PolicyException {
            for (Group g : groups) {
                JsonNode result;
                try {
                    result = post(g.prefix(), "{\"input\": {}}".getBytes(StandardCharsets.UTF_8));
                } catch (OpaException e) {
                    continue;
                }
                boolean any = false;
                for (int i : g.members()) {
                    String[] segs = packages.get(i).path().split("\\.");
                    JsonNode node = result;
                    for (int k = g.prefix().size(); k < segs.length && node != null; k++) {
                        node = node.get(segs[k]);
                    }
                    any |= node != null;
                }
                if (!any) {
                    throw new PolicyException(name() + " has none of the packages under data."
                            + String.join(".", g.prefix()) + " (--opa-no-push: load the bundle 'posture policy bundle'"
                            + " writes, from this posture version)");
                }
            }
        }

        @Override
        public Evaluation evaluate(JsonNode input) {
            Map<Integer, PackageResult> results = new TreeMap<>();
            List<PackageError> errors = new ArrayList<>();
            byte[] body;
            try {
                ObjectNode req = OpaClient.JSON.createObjectNode();
                req.set("input", input);
                body = OpaClient.JSON.writeValueAsBytes(req);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise the input: " + e.getMessage(), e);
            }
            for (int i = 0; i < packages.size(); i++) {
                if (docs.get(i).isEmpty()) {
                    results.put(i, new PackageResult(packages.get(i), Map.of()));
                }
            }
            for (Group g : groups) {
                try {
                    JsonNode result = post(g.prefix(), body);
                    Map<Integer, PackageResult> mine = new TreeMap<>();
                    for (int i : g.members()) {
                        List<String> rel = Arrays.asList(packages.get(i).path().split("\\.")).subList(g.prefix().size(),
                                packages.get(i).path().split("\\.").length);
                        mine.put(i, extract(packages.get(i), docs.get(i), result, rel));
                    }
                    results.putAll(mine);
                } catch (OpaException e) {
                    if (e.noAnswer()) {
                        for (int i : g.members()) {
                            errors.add(new PackageError(packages.get(i), reason(e)));
                        }
                        continue;
                    }
                    // each package's documents alone, as the embedded engine evaluates them (a failing helper
                    // rule of a package that no document uses does not fail it)
                    for (int i : g.members()) {
                        RulePackage p = packages.get(i);
                        try {
                            Map<String, List<JsonNode>> out = new TreeMap<>();
                            for (String d : docs.get(i)) {
                                List<String> path = new ArrayList<>(Arrays.asList(p.path().split("\\.")));
                                path.add(d);
                                out.put(d, items(document(path, body)));
                            }
                            results.put(i, new PackageResult(p, out));
                        } catch (OpaException e2) {
                            errors.add(new PackageError(p, reason(e2)));
                        }
                    }
                }
            }
            return new Evaluation(new ArrayList<>(results.values()), errors);
        }

        private String reason(OpaException e) {
            return name() + ": " + e.getMessage();
        }

        /** The {@code result} of {@code POST /v1/data/<path>} (any value), or null when undefined. */
        private JsonNode document(List<String> path, byte[] body) throws OpaException {
            String p = "/v1/data/" + String.join("/", path.stream().map(OpaClient::segment).toList());
            OpaClient.Response r = client.send("POST", p, "application/json", body);
            if (r.body() == null || !r.body().isObject()) {
                throw new OpaException("POST " + p, r.status(), null, "the answer is not a JSON object"
                        + (r.body() == null ? " (empty)" : ": " + OpaClient.snippet(r.body().toString().getBytes(StandardCharsets.UTF_8))),
                        List.of(), false);
            }
            return r.body().get("result");
        }

        /** The {@code result} of {@code POST /v1/data/<path>} for a package or prefix: an object, or null. */
        private JsonNode post(List<String> path, byte[] body) throws OpaException {
            String p = "/v1/data/" + String.join("/", path.stream().map(OpaClient::segment).toList());
            JsonNode result = document(path, body);
            if (result != null && !result.isObject() && !result.isNull()) {
                throw new OpaException("POST " + p, 200, null, "the result is not an object but "
                        + OpaClient.snippet(result.toString().getBytes(StandardCharsets.UTF_8)), List.of(), false);
            }
            return result;
        }

        private PackageResult extract(RulePackage p, List<String> wanted, JsonNode result, List<String> rel) {
            JsonNode node = result;
            for (String s : rel) {
                node = node == null ? null : node.get(s);
            }
            Map<String, List<JsonNode>> out = new TreeMap<>();
            for (String d : wanted) {
                out.put(d, items(node == null || !node.isObject() ? null : node.get(d)));
            }
            return new PackageResult(p, out);
        }
    }

    /** Each element of an array (OPA sends sets as arrays), else the value itself; false, null, undefined: none. */
    static List<JsonNode> items(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode() || v.isBoolean() && !v.booleanValue()) {
            return List.of();
        }
        if (v.isArray()) {
            List<JsonNode> out = new ArrayList<>(v.size());
            v.forEach(out::add);
            return out;
        }
        return List.of(v);
    }
}
