package dev.posture.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoError;
import dev.posture.rego.value.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An OPA API double for tests: a loopback HTTP server ({@code 127.0.0.1}, a free port) that answers the parts of OPA's
 * documented REST API posture uses, with OPA's request and response shapes, backed by the embedded {@code rego}
 * engine:
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {}}, or 500 {@code {"error": …}} when {@link #unhealthy(String)};</li>
 *   <li>{@code PUT /v1/policies/<id>} (text/plain Rego): parses and compiles every module with the new one; 200
 *       {@code {}}, or 400 {@code {"code":"invalid_parameter","message":"error(s) occurred while compiling
 *       module(s)","errors":[{"code","message","location":{"file","row","col"}}]}}; modules are v1 unless
 *       {@link #v0Compatible} (then v0 unless they {@code import rego.v1}, as {@code opa run --v0-compatible});</li>
 *   <li>{@code DELETE /v1/policies/<id>}: 200 {@code {}}, 404 {@code resource_not_found} for an unknown id;</li>
 *   <li>{@code PUT /v1/data/<path>} (JSON): 204, creating parents; {@code DELETE /v1/data/<path>}: 204 or 404;</li>
 *   <li>{@code POST /v1/data/<path>} with {@code {"input": …}}: 200 {@code {"result": …}}, or {@code {}} when the
 *       document is undefined; 400 {@code invalid_parameter} for a body that is not JSON; 500
 *       {@code internal_error} with the engine's message for an evaluation error (a conflict);</li>
 *   <li>with a token: 401 {@code {"code":"unauthorized","message":…}} when {@code Authorization: Bearer <token>} is
 *       missing or wrong (as {@code opa run --authentication=token} with a token-checking authorization policy).</li>
 * </ul>
 *
 * Tests can inject faults ({@link #fault}) and read every request ({@link #requests()}).
 */
public final class OpaApiDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Request(String method, String path, String authorization, String contentType, String body) {
        public String line() {
            return method + " " + path;
        }
    }

    /** An answer a fault gives instead of the API's: a status and a raw body; a delay before it. */
    public record Reply(int status, String body, long delayMillis) {
        public static Reply of(int status, String body) {
            return new Reply(status, body, 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;
    private final boolean v0Compatible;
    private final Map<String, String> policies = Collections.synchronizedMap(new LinkedHashMap<>());
    private ObjectNode data = JsonNodeFactory.instance.objectNode();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Function<Request, Optional<Reply>>> faults = new CopyOnWriteArrayList<>();
    private volatile String unhealthy;
    private PolicySet current;
    private long version;
    private long builtVersion = -1;
    private final Map<String, PreparedQuery> queries = new ConcurrentHashMap<>();

    private OpaApiDouble(String token, boolean v0Compatible) throws IOException {
        this(token, v0Compatible, null);
    }

    private OpaApiDouble(String token, boolean v0Compatible, javax.net.ssl.SSLContext tls) throws IOException {
        this.token = token;
        this.v0Compatible = v0Compatible;
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(at, 64);
        }
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "opa-api-double");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public static OpaApiDouble start() throws IOException {
        return new OpaApiDouble(null, false);
    }

    /** Requires {@code Authorization: Bearer <token>} on every request. */
    public static OpaApiDouble withToken(String token) throws IOException {
        return new OpaApiDouble(token, false);
    }

    /** Over https with this server certificate (as {@code opa run --server --tls-cert-file … --tls-private-key-file …}). */
    public static OpaApiDouble https(javax.net.ssl.SSLContext tls) throws IOException {
        return new OpaApiDouble(null, false, tls);
    }

    /** As {@code opa run --server --v0-compatible}. */
    public static OpaApiDouble v0Compatible() throws IOException {
        return new OpaApiDouble(null, true);
    }

    /**
     * Runs the double until killed, for trying {@code --opa-url} without an OPA binary:
     * {@code java -cp scanner-cli/target/posture.jar:rules/target/test-classes dev.posture.policy.opa.OpaApiDouble}.
     */
    public static void main(String[] args) throws Exception {
        OpaApiDouble d = start();
        System.out.println(d.url());
        System.out.flush();
        Thread.currentThread().join();
    }

    public URI url() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long count(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    /** Module ids currently loaded. */
    public List<String> policyIds() {
        synchronized (policies) {
            return List.copyOf(policies.keySet());
        }
    }

    public synchronized JsonNode data() {
        return data.deepCopy();
    }

    public void unhealthy(String error) {
        unhealthy = error;
    }

    /** A fault: when it answers, its reply is sent instead of the API's (and the request still counts). */
    public void fault(Function<Request, Optional<Reply>> f) {
        faults.add(f);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = ex.getRequestURI().getRawPath();
            Request req = new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(req);
            for (Function<Request, Optional<Reply>> f : faults) {
                Optional<Reply> r = f.apply(req);
                if (r.isPresent()) {
                    if (r.get().delayMillis() > 0) {
                        try {
                            Thread.sleep(r.get().delayMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    send(ex, r.get().status(), r.get().body());
                    return;
                }
            }
            if (token != null && !("Bearer " + token).equals(req.authorization())) {
                send(ex, 401, error("unauthorized", "authentication required"));
                return;
            }
            Reply r = route(req);
            send(ex, r.status(), r.body());
        } catch (RuntimeException e) {
            send(ex, 500, error("internal_error", String.valueOf(e)));
        }
    }

    private Reply route(Request r) {
        String m = r.method();
        String p = r.path();
        if (p.equals("/health") && m.equals("GET")) {
            String u = unhealthy;
            return u == null ? Reply.of(200, "{}") : Reply.of(500, obj("error", u));
        }
        if (p.startsWith("/v1/policies/")) {
            String id = decode(p.substring("/v1/policies/".length()));
            return switch (m) {
                case "PUT" -> putPolicy(id, r.body());
                case "DELETE" -> deletePolicy(id);
                case "GET" -> policies.containsKey(id) ? Reply.of(200, policyJson(id))
                        : Reply.of(404, error("resource_not_found", "storage_not_found_error: policy id \"" + id + "\""));
                default -> Reply.of(405, error("method_not_allowed", "method not allowed"));
            };
        }
        if (p.equals("/v1/data") || p.startsWith("/v1/data/")) {
            List<String> segs = new ArrayList<>();
            for (String s : p.substring("/v1/data".length()).split("/")) {
                if (!s.isEmpty()) {
                    segs.add(decode(s));
                }
            }
            return switch (m) {
                case "POST" -> evaluate(segs, r.body());
                case "PUT" -> putData(segs, r.body());
                case "DELETE" -> deleteData(segs);
                default -> Reply.of(405, error("method_not_allowed", "method not allowed"));
            };
        }
        return Reply.of(404, error("resource_not_found", "unknown path " + p));
    }

    private String policyJson(String id) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("result").put("id", id).put("raw", policies.get(id));
        return o.toString();
    }

    private Reply putPolicy(String id, String source) {
        synchronized (this) {
            Map<String, String> next = new LinkedHashMap<>(policies);
            next.put(id, source);
            try {
                PolicySet ps = compile(next, null);
                // the embedded engine finds some compile errors (unsafe variables) when a query first reaches a rule;
                // OPA finds them when compiling: reach every rule once
                try {
                    String pkg = OpaPolicyEngine.packageOf(source);
                    StringBuilder q = new StringBuilder("data");
                    for (String seg : pkg == null ? new String[0] : pkg.split("\\.")) {
                        q.append("[\"").append(seg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
                    }
                    ps.prepare(q.toString()).eval(dev.posture.rego.value.Value.EMPTY_OBJECT, new PreparedQuery.EvalOptions());
                } catch (RegoError e) {
                    if (e.code() != null && e.code().startsWith("rego_")) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    // an error that depends on the input
                }
            } catch (RegoError e) {
                ObjectNode o = JSON.createObjectNode();
                o.put("code", "invalid_parameter");
                o.put("message", "error(s) occurred while compiling module(s)");
                ArrayNode errs = o.putArray("errors");
                ObjectNode d = errs.addObject();
                d.put("code", e.code());
                d.put("message", e.detail());
                if (e.location() != null) {
                    d.putObject("location").put("file", e.location().file()).put("row", e.location().row())
                            .put("col", e.location().col());
                }
                return Reply.of(400, o.toString());
            }
            policies.put(id, source);
            version++;
        }
        return Reply.of(200, "{}");
    }

    private synchronized Reply deletePolicy(String id) {
        if (policies.remove(id) == null) {
            return Reply.of(404, error("resource_not_found", "storage_not_found_error: policy id \"" + id + "\""));
        }
        version++;
        return Reply.of(200, "{}");
    }

    private synchronized Reply putData(List<String> segs, String body) {
        JsonNode v;
        try {
            v = JSON.readTree(body);
        } catch (IOException e) {
            return Reply.of(400, error("invalid_parameter", "body contains malformed JSON: " + e.getMessage()));
        }
        if (segs.isEmpty()) {
            if (!v.isObject()) {
                return Reply.of(400, error("invalid_parameter", "root must be object"));
            }
            data = (ObjectNode) v;
        } else {
            ObjectNode at = data;
            for (String s : segs.subList(0, segs.size() - 1)) {
                JsonNode n = at.get(s);
                if (n == null) {
                    n = at.putObject(s);
                } else if (!n.isObject()) {
                    return Reply.of(404, error("resource_conflict", "storage_write_conflict_error: /" + String.join("/", segs)));
                }
                at = (ObjectNode) n;
            }
            at.set(segs.get(segs.size() - 1), v);
        }
        version++;
        return Reply.of(204, "");
    }

    private synchronized Reply deleteData(List<String> segs) {
        JsonNode at = data;
        for (String s : segs.subList(0, Math.max(0, segs.size() - 1))) {
            at = at == null ? null : at.get(s);
        }
        if (segs.isEmpty() || !(at instanceof ObjectNode o) || !o.has(segs.get(segs.size() - 1))) {
            return Reply.of(404, error("resource_not_found", "storage_not_found_error: /" + String.join("/", segs)
                    + ": document does not exist"));
        }
        o.remove(segs.get(segs.size() - 1));
        version++;
        return Reply.of(204, "");
    }

    private Reply evaluate(List<String> segs, String body) {
        JsonNode req;
        try {
            req = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return Reply.of(400, error("invalid_parameter", "body contains malformed input document: " + e.getMessage()));
        }
        if (req == null || !req.isObject()) {
            return Reply.of(400, error("invalid_parameter", "body must be an object"));
        }
        PreparedQuery q;
        try {
            q = query(segs);
        } catch (RegoError e) {
            return Reply.of(500, error("internal_error", e.getMessage()));
        }
        try {
            JsonNode input = req.get("input");
            QueryResult res = input == null ? q.eval(null, new PreparedQuery.EvalOptions())
                    : q.eval(Json.fromJson(input), new PreparedQuery.EvalOptions());
            if (res.rows().isEmpty()) {
                return Reply.of(200, "{}");
            }
            ObjectNode o = JSON.createObjectNode();
            o.set("result", Json.toJson(res.rows().get(0).expressions().get(0).value()));
            return Reply.of(200, o.toString());
        } catch (RegoError e) {
            return Reply.of(500, error("internal_error", e.getMessage()));
        }
    }

    private synchronized PreparedQuery query(List<String> segs) {
        if (builtVersion != version) {
            current = compile(policies, data);
            builtVersion = version;
            queries.clear();
        }
        StringBuilder q = new StringBuilder("data");
        for (String s : segs) {
            q.append("[\"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
        }
        return queries.computeIfAbsent(q.toString(), current::prepare);
    }

    private PolicySet compile(Map<String, String> modules, JsonNode withData) {
        PolicySet.Builder b = PolicySet.builder().printSink(s -> { }).v0Compatible(v0Compatible);
        for (Map.Entry<String, String> e : modules.entrySet()) {
            b.module(e.getKey(), e.getValue());
        }
        if (withData != null) {
            b.data(withData);
        }
        return b.build();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String error(String code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", code);
        o.put("message", message);
        return o.toString();
    }

    private static String obj(String k, String v) {
        ObjectNode o = JSON.createObjectNode();
        o.put(k, v);
        return o.toString();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
        }
        if (status == 204 || b.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
