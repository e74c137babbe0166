package dev.posture.policy.opa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.posture.policy.PolicyException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OPA's REST API over the JDK's {@link HttpClient}: keep-alive connections, at most
 * {@link OpaOptions#concurrency()} requests in flight, a timeout per request, retries with a doubling backoff on
 * connection errors and 5xx (never on 4xx), OPA's error bodies read into {@link OpaException}s. The token goes
 * into the {@code Authorization} header only, never into a message.
 */
final class OpaClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** OPA renders evaluation errors as {@code [file:row: ]eval_<kind>_error: message}. */
    private static final java.util.regex.Pattern EVAL_ERROR = java.util.regex.Pattern.compile("(^|: )eval_[a-z_]*error: ");

    private final OpaOptions options;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final String base;
    private final AtomicLong requests = new AtomicLong();

    /** An answer: the status and the body as JSON (null for an empty body). */
    record Response(int status, JsonNode body) {
    }

    OpaClient(OpaOptions options) throws PolicyException {
        this.options = options;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.timeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (options.caCert() != null) {
            b.sslContext(sslContext(options));
        }
        this.http = b.build();
        this.inFlight = new Semaphore(options.concurrency(), true);
        String u = options.url().toString();
        this.base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** Requests sent so far (every attempt counts). */
    long requests() {
        return requests.get();
    }

    private static SSLContext sslContext(OpaOptions o) throws PolicyException {
        try (InputStream in = Files.newInputStream(o.caCert())) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new PolicyException("--opa-ca-cert " + o.caCert() + ": no certificate in the file");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("opa-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new PolicyException("--opa-ca-cert " + o.caCert() + ": cannot read the certificate(s): " + e.getMessage(), e);
        }
    }

    /** {@code a.b.c-d} → {@code a/b/c-d}, each segment URL-encoded. */
    static String path(String dotted) {
        if (dotted == null || dotted.isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String s : dotted.split("\\.")) {
            out.add(segment(s));
        }
        return String.join("/", out);
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Response get(String path) throws OpaException {
        return send("GET", path, null, null);
    }

    Response send(String method, String path, String contentType, byte[] body) throws OpaException {
        String what = method + " " + path;
        URI uri = URI.create(base + path);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(options.timeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            rb.header("Content-Type", contentType);
        }
        if (options.token() != null) {
            rb.header("Authorization", "Bearer " + options.token());
        }
        HttpRequest req = rb.build();
        long wait = Math.max(1, options.backoff().toMillis());
        OpaException last = null;
        for (int attempt = 1; attempt <= options.attempts(); attempt++) {
            if (attempt > 1) {
                sleep(wait, what);
                wait *= 2;
            }
            HttpResponse<byte[]> resp;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpaException(what, 0, null, "interrupted", List.of(), true);
            }
            try {
                requests.incrementAndGet();
                resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException e) {
                last = new OpaException(what, 0, null, "could not connect within " + seconds(), List.of(), true);
                continue;
            } catch (HttpTimeoutException e) {
                // the server took the request and did not answer in time: a retry (or one request per package)
                // would likely time out too, and each costs the whole timeout
                throw new OpaException(what, 0, null, "no answer within " + seconds() + " (--opa-timeout)", List.of(), true);
            } catch (javax.net.ssl.SSLException e) {
                // the same certificate would fail again
                throw new OpaException(what, 0, null, "TLS failed: " + reason(e)
                        + (options.caCert() == null ? " (a private CA or self-signed server: --opa-ca-cert PEM)" : ""),
                        List.of(), true);
            } catch (ConnectException e) {
                last = new OpaException(what, 0, null, "cannot connect: " + reason(e), List.of(), true);
                continue;
            } catch (IOException e) {
                last = new OpaException(what, 0, null, "connection failed: " + reason(e), List.of(), true);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpaException(what, 0, null, "interrupted", List.of(), true);
            } finally {
                inFlight.release();
            }
            int status = resp.statusCode();
            if (status >= 200 && status < 300) {
                return new Response(status, parse(what, status, resp.body()));
            }
            OpaException err = error(what, status, resp.body());
            if (status >= 500 && !evalError(err)) {
                last = err;
                continue;
            }
            throw err;
        }
        throw last;
    }

    /**
     * OPA answers an evaluation error (a conflict, a builtin error with strict errors) with 500 and
     * {@code internal_error}: the same input fails the same way, so it is not retried.
     */
    private static boolean evalError(OpaException e) {
        return e.opaMessage() != null && EVAL_ERROR.matcher(e.opaMessage()).find();
    }

    private String seconds() {
        long ms = options.timeout().toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private static void sleep(long ms, String what) throws OpaException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpaException(what, 0, null, "interrupted", List.of(), true);
        }
    }

    private static String reason(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static JsonNode parse(String what, int status, byte[] body) throws OpaException {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? NullNode.instance : n;
        } catch (IOException e) {
            throw new OpaException(what, status, null, "the answer is not JSON: " + snippet(body), List.of(), false);
        }
    }

    /** OPA's error body, or what the answer was when it is not one. */
    private static OpaException error(String what, int status, byte[] body) {
        JsonNode n = null;
        try {
            n = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // not JSON: say what came
        } catch (IOException e) {
            // likewise
        }
        if (n != null && n.isObject() && (n.hasNonNull("code") || n.hasNonNull("message") || n.hasNonNull("error"))) {
            List<OpaException.Detail> details = new ArrayList<>();
            for (JsonNode d : n.path("errors")) {
                JsonNode loc = d.path("location");
                details.add(new OpaException.Detail(d.path("code").asText(null), d.path("message").asText(""),
                        loc.path("file").asText(null), loc.path("row").asInt(0), loc.path("col").asInt(0)));
            }
            String message = n.hasNonNull("message") ? n.get("message").asText() : n.path("error").asText("");
            return new OpaException(what, status, n.path("code").asText(null), message, details, false);
        }
        return new OpaException(what, status, null, body == null || body.length == 0 ? "(empty answer)"
                : "the answer is not an OPA error: " + snippet(body), List.of(), false);
    }

    static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return "'" + s + (body.length > 120 ? "…" : "") + "'";
    }
}
