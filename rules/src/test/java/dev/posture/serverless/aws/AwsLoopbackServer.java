package dev.posture.serverless.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for AWS (127.0.0.1, ephemeral port) that replays recorded responses from
 * {@code fixtures/aws/} according to a routing manifest ({@code routes.json}). It speaks the two
 * wire protocols the collector uses: IAM/STS Query (form POST, XML answers and
 * {@code ErrorResponse} errors) and Lambda REST/JSON (GET paths, JSON answers, errors via the
 * {@code X-Amzn-ErrorType} header). The service and region of a request come from the SigV4
 * credential scope of its {@code Authorization} header, exactly as AWS sees them. Signatures are
 * not verified. Every request is recorded for assertions; an unrouted request gets HTTP 500 and is
 * recorded as such, so tests notice calls nobody expected.
 */
final class AwsLoopbackServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String service, String region, String method, String path, Map<String, String> params,
                   String action, int status, String authorization) {
        String describe() {
            return method + " " + service + "/" + region + " " + (action != null ? action : path) + " " + params
                    + " -> " + status;
        }
    }

    private record Route(String service, String region, String method, String path, String pathPrefix,
                         String action, Map<String, String> params, int status, String errorType,
                         Map<String, String> headers, Path file, int times, AtomicInteger used) {
    }

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Route> routes;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    private AwsLoopbackServer(List<Route> routes) throws IOException {
        this.routes = routes;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The fixtures directory {@code fixtures/aws} of the checkout. */
    static Path fixtures() {
        String root = System.getProperty("posture.root");
        List<Path> candidates = new ArrayList<>();
        if (root != null && !root.isBlank()) {
            candidates.add(Path.of(root));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p);
        }
        for (Path c : candidates) {
            Path f = c.resolve("fixtures/aws");
            if (Files.isDirectory(f)) {
                return f;
            }
        }
        throw new IllegalStateException("fixtures/aws not found (posture.root=" + root + ")");
    }

    /** Starts a server replaying {@code fixtures/aws/<manifest>}. */
    static AwsLoopbackServer start(String manifest) throws IOException {
        return new AwsLoopbackServer(load(fixtures(), manifest));
    }

    private static List<Route> load(Path dir, String manifest) throws IOException {
        JsonNode root = JSON.readTree(dir.resolve(manifest).toFile());
        List<Route> out = new ArrayList<>();
        for (JsonNode r : root.path("routes")) {
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : r.path("params").properties()) {
                params.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            r.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            Path file = dir.resolve(r.path("file").asText());
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(manifest + ": missing fixture " + file);
            }
            out.add(new Route(text(r, "service"), text(r, "region"), text(r, "method"), text(r, "path"),
                    text(r, "pathPrefix"), text(r, "action"), params, r.path("status").asInt(200),
                    text(r, "errorType"), headers, file, r.path("times").asInt(0), new AtomicInteger()));
        }
        if (root.hasNonNull("include")) {
            out.addAll(load(dir, root.get("include").asText()));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests of one Query action ({@code GetAccountAuthorizationDetails}) or REST path. */
    List<Request> requests(String actionOrPath) {
        return requests().stream()
                .filter(r -> actionOrPath.equals(r.action()) || actionOrPath.equals(r.path()))
                .toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String service = null;
            String region = null;
            if (auth != null) {
                Matcher m = SCOPE.matcher(auth);
                if (m.find()) {
                    region = m.group(1);
                    service = m.group(2);
                }
            }
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Map<String, String> params = form(ex.getRequestURI().getRawQuery());
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if ("POST".equals(method) && contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
                params.putAll(form(body));
            }
            String action = params.remove("Action");
            params.remove("Version");
            Route route = route(service, region, method, path, action, params);
            int status = route == null ? 500 : route.status();
            requests.add(new Request(service, region, method, path, params, action, status, auth));
            if (route == null) {
                byte[] msg = ("no route for " + method + " " + path + " " + action + " " + params)
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(500, msg.length);
                ex.getResponseBody().write(msg);
                return;
            }
            byte[] payload = Files.readAllBytes(route.file());
            boolean xml = route.file().toString().endsWith(".xml");
            ex.getResponseHeaders().set("Content-Type", xml ? "text/xml" : "application/json");
            ex.getResponseHeaders().set("x-amzn-RequestId", "loopback-" + requests.size());
            if (route.errorType() != null) {
                ex.getResponseHeaders().set("X-Amzn-ErrorType", route.errorType());
            }
            route.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(status, payload.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(payload);
            }
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("loopback handler failed", e));
        }
    }

    private Route route(String service, String region, String method, String path, String action,
                        Map<String, String> params) {
        synchronized (routes) {
            for (Route r : routes) {
                if (r.service() != null && !r.service().equals(service)
                        || r.region() != null && !r.region().equals(region)
                        || r.method() != null && !r.method().equals(method)
                        || r.path() != null && !r.path().equals(path)
                        || r.pathPrefix() != null && !path.startsWith(r.pathPrefix())
                        || r.action() != null && !r.action().equals(action)) {
                    continue;
                }
                boolean paramsMatch = true;
                for (Map.Entry<String, String> e : r.params().entrySet()) {
                    String actual = params.get(e.getKey());
                    if (e.getValue() == null ? actual != null : !e.getValue().equals(actual)) {
                        paramsMatch = false;
                        break;
                    }
                }
                if (!paramsMatch) {
                    continue;
                }
                if (r.times() > 0 && r.used().get() >= r.times()) {
                    continue;
                }
                r.used().incrementAndGet();
                return r;
            }
            return null;
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
