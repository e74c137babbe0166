package dev.posture.policy.opa;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an OPA server.
 *
 * @param url         the server's base URL ({@code http://127.0.0.1:8181}); a path in it is kept as a prefix
 * @param token       bearer token sent as {@code Authorization: Bearer …}, or null; never printed
 * @param caCert      a PEM file of certificates to trust for https (instead of the JVM's), or null
 * @param timeout     per request
 * @param concurrency requests in flight at most
 * @param push        upload the modules with the Policy API (false: the server has them, e.g. from a bundle)
 * @param attempts    tries per request on connection errors and 5xx (4xx are never retried)
 * @param backoff     wait before the second try, doubled before each further one
 */
public record OpaOptions(URI url, String token, Path caCert, Duration timeout, int concurrency, boolean push,
                         int attempts, Duration backoff) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int DEFAULT_ATTEMPTS = 3;

    public OpaOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoff, "backoff");
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** Defaults for everything but the URL. */
    public static OpaOptions of(URI url) {
        return new OpaOptions(url, null, null, DEFAULT_TIMEOUT, DEFAULT_CONCURRENCY, true, DEFAULT_ATTEMPTS,
                Duration.ofMillis(200));
    }

    public OpaOptions withToken(String t) {
        return new OpaOptions(url, t, caCert, timeout, concurrency, push, attempts, backoff);
    }

    public OpaOptions withCaCert(Path p) {
        return new OpaOptions(url, token, p, timeout, concurrency, push, attempts, backoff);
    }

    public OpaOptions withTimeout(Duration d) {
        return new OpaOptions(url, token, caCert, d, concurrency, push, attempts, backoff);
    }

    public OpaOptions withConcurrency(int n) {
        return new OpaOptions(url, token, caCert, timeout, n, push, attempts, backoff);
    }

    public OpaOptions withPush(boolean on) {
        return new OpaOptions(url, token, caCert, timeout, concurrency, on, attempts, backoff);
    }

    public OpaOptions withRetries(int tries, Duration firstBackoff) {
        return new OpaOptions(url, token, caCert, timeout, concurrency, push, tries, firstBackoff);
    }

    /** The URL without a trailing slash, for messages. */
    public String display() {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "OpaOptions[url=" + display() + ", token=" + (token == null ? "none" : "(set)") + ", caCert=" + caCert
                + ", timeout=" + timeout + ", concurrency=" + concurrency + ", push=" + push + ", attempts=" + attempts
                + "]";
    }
}
