package dev.posture.image.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A loopback HTTP server speaking the registry API's pull side (GET /v2/, manifests, blobs, a token endpoint) for
 * what a real registry cannot be made to do on demand: answer 503 or 429 a given number of times, serve a manifest
 * whose bytes do not match the digest asked for, a schema 1 manifest, a blob longer than its descriptor, a blob
 * produced lazily to watch back-pressure, or ask for a Bearer token.
 *
 * <p>A plain socket server rather than the JDK's HttpServer, because it must answer a TLS ClientHello the way Go's
 * registry does (HTTP 400, then close): the client tries HTTPS first and falls back to HTTP only when the server
 * answers something that is not TLS; the JDK server would wait for a request line and let the handshake time out.
 */
final class LoopbackFakeRegistry implements AutoCloseable {
    private record Manifest(String mediaType, byte[] bytes) {
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, Supplier<InputStream>> blobs = new ConcurrentHashMap<>();
    private final Map<String, Long> blobSizes = new ConcurrentHashMap<>();
    private final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    final AtomicLong blobBytesSent = new AtomicLong();
    private volatile String bearerUser;
    private volatile String bearerPassword;
    private static final String TOKEN = "fake-token-0123456789";

    LoopbackFakeRegistry() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    threads.execute(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Serves {@code bytes} for {@code repo:tag} and {@code repo@digest}; returns the digest. */
    String manifest(String repo, String tag, String mediaType, byte[] bytes) {
        String digest = RecordingSink.sha256(bytes);
        manifests.put(repo + "/" + digest, new Manifest(mediaType, bytes));
        if (tag != null) {
            manifests.put(repo + "/" + tag, new Manifest(mediaType, bytes));
        }
        return digest;
    }

    /** Serves {@code bytes} under {@code reference} whatever their digest (a registry that lies). */
    void manifestAt(String repo, String reference, String mediaType, byte[] bytes) {
        manifests.put(repo + "/" + reference, new Manifest(mediaType, bytes));
    }

    String blob(byte[] bytes) {
        String digest = RecordingSink.sha256(bytes);
        blob(digest, bytes.length, () -> new java.io.ByteArrayInputStream(bytes));
        return digest;
    }

    void blob(String digest, long size, Supplier<InputStream> content) {
        blobs.put(digest, content);
        blobSizes.put(digest, size);
    }

    /** The next {@code times} requests whose path ends with {@code pathEnd} get {@code status}. */
    void fail(String pathEnd, int status, int times) {
        Deque<Integer> q = failures.computeIfAbsent(pathEnd, k -> new ArrayDeque<>());
        synchronized (q) {
            for (int i = 0; i < times; i++) {
                q.add(status);
            }
        }
    }

    /** Every /v2/ call wants a Bearer token, which /token gives for Basic {@code user:password}. */
    void requireBearer(String user, String password) {
        bearerUser = user;
        bearerPassword = password;
    }

    /** How many requests had a path ending with {@code pathEnd} ("/v2/" for the pings). */
    long count(String pathEnd) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.endsWith(pathEnd)).count();
        }
    }

    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        threads.shutdownNow();
    }

    /** One request per connection ({@code Connection: close}). */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.mark(1);
            if (in.read() == 0x16) { // a TLS handshake record: answer as Go's net/http does on a plain port
                out.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            in.reset();
            String[] line = readLine(in).split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h; !(h = readLine(in)).isEmpty(); ) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            if (headers.containsKey("content-length")) {
                in.readNBytes(Integer.parseInt(headers.get("content-length")));
            }
            handle(new Exchange(line[0], java.net.URI.create(line[1]).getPath(), headers.get("authorization"), out));
        } catch (IOException | RuntimeException e) {
            // the client went away (a test that stops reading) or sent nonsense: nothing to answer
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static final class Exchange {
        final String method;
        final String path;
        final String authorization;
        final OutputStream out;
        final Map<String, String> responseHeaders = new LinkedHashMap<>();

        Exchange(String method, String path, String authorization, OutputStream out) {
            this.method = method;
            this.path = path;
            this.authorization = authorization;
            this.out = out;
        }

        void header(String name, String value) {
            responseHeaders.put(name, value);
        }

        void start(int status, long length) throws IOException {
            StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(status < 300 ? " OK" : " Error")
                    .append("\r\nContent-Length: ").append(length).append("\r\nConnection: close\r\n");
            responseHeaders.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
            out.write(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private void handle(Exchange x) throws IOException {
        {
            String path = x.path;
            String auth = x.authorization;
            synchronized (requests) {
                requests.add(x.method + " " + path + (auth == null ? "" : " [" + auth + "]"));
            }
            for (var f : failures.entrySet()) {
                if (path.endsWith(f.getKey())) {
                    Integer status;
                    synchronized (f.getValue()) {
                        status = f.getValue().poll();
                    }
                    if (status != null) {
                        send(x, status, "application/json", "{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}");
                        return;
                    }
                }
            }
            if (path.equals("/token")) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((bearerUser + ":" + bearerPassword)
                        .getBytes(StandardCharsets.UTF_8));
                if (expected.equals(auth)) {
                    send(x, 200, "application/json", "{\"token\":\"" + TOKEN + "\"}");
                } else {
                    send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                }
                return;
            }
            if (bearerUser != null && !("Bearer " + TOKEN).equals(auth)) {
                x.header("WWW-Authenticate", "Bearer realm=\"http://" + address()
                        + "/token\",service=\"fake\",scope=\"repository:shop/app:pull\"");
                send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                return;
            }
            if (path.equals("/v2/")) {
                send(x, 200, "application/json", "{}");
                return;
            }
            int manifestsAt = path.indexOf("/manifests/");
            int blobsAt = path.indexOf("/blobs/");
            if (path.startsWith("/v2/") && manifestsAt > 0) {
                Manifest m = manifests.get(path.substring(4, manifestsAt) + "/"
                        + path.substring(manifestsAt + "/manifests/".length()));
                if (m == null) {
                    send(x, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
                    return;
                }
                x.header("Content-Type", m.mediaType());
                x.header("Docker-Content-Digest", RecordingSink.sha256(m.bytes()));
                x.start(200, m.bytes().length);
                x.out.write(m.bytes());
                return;
            }
            if (path.startsWith("/v2/") && blobsAt > 0) {
                String digest = path.substring(blobsAt + "/blobs/".length());
                Supplier<InputStream> content = blobs.get(digest);
                if (content == null) {
                    send(x, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}");
                    return;
                }
                x.header("Content-Type", "application/octet-stream");
                x.start(200, blobSizes.get(digest));
                try (InputStream in = content.get()) {
                    OutputStream out = x.out;
                    byte[] buffer = new byte[16 << 10];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        blobBytesSent.addAndGet(n);
                    }
                }
                return;
            }
            send(x, 404, "text/plain", "no route");
        }
    }

    private static void send(Exchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.header("Content-Type", type);
        x.start(status, bytes.length);
        x.out.write(bytes);
    }
}
