package dev.posture.image.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Docker registry (Debian's {@code docker-registry}, distribution 2.x) for tests: started on a free loopback
 * port with its storage in a temp directory, optionally behind htpasswd Basic auth, stopped and deleted by
 * {@link #close()}. Tests skip (JUnit assumption) when the binary is not installed; CI installs it with
 * {@code apt-get install -y docker-registry}.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.start()) {
 *     String ref = registry.address() + "/shop/app:1.0";   // 127.0.0.1:PORT/shop/app:1.0
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final Process process;
    private final int port;

    private LocalRegistry(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** A registry anyone may pull from and push to. */
    public static LocalRegistry start() throws IOException {
        return start(null, null);
    }

    /**
     * A registry that wants Basic auth with this user and password for every call (pushes too). Needs a bcrypt
     * htpasswd line: made with {@code htpasswd} (apache2-utils) when installed, else with Perl's {@code crypt}
     * (libxcrypt's bcrypt); skips when neither can.
     */
    public static LocalRegistry startWithHtpasswd(String user, String password) throws IOException {
        return start(user, password);
    }

    private static LocalRegistry start(String user, String password) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "docker-registry is not installed (" + BINARY + "; apt-get install -y docker-registry)");
        Path dir = Files.createTempDirectory("posture-registry-");
        try {
            Path storage = Files.createDirectories(dir.resolve("storage"));
            String auth = "";
            if (user != null) {
                Path htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, htpasswdLine(user, password) + "\n");
                auth = "auth:\n  htpasswd:\n    realm: posture-test\n    path: " + htpasswd + "\n";
            }
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before the registry binds it
                int port = freePort();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, """
                        version: 0.1
                        log:
                          level: error
                          accesslog:
                            disabled: true
                        storage:
                          filesystem:
                            rootdirectory: %s
                          delete:
                            enabled: true
                          redirect:
                            disable: true
                        http:
                          addr: 127.0.0.1:%d
                          secret: posture-test-secret
                        %s""".formatted(storage, port, auth));
                Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("registry.log").toFile())
                        .start();
                LocalRegistry registry = new LocalRegistry(dir, p, port);
                if (registry.awaitReady()) {
                    return registry;
                }
                p.destroyForcibly();
                last = new IOException("docker-registry did not start on port " + port + ": "
                        + Files.readString(dir.resolve("registry.log")));
            }
            throw last;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** host:port, for image references: {@code address() + "/repo:tag"}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The registry's storage root ({@code docker/registry/v2/…} below it). */
    public Path storage() {
        return dir.resolve("storage");
    }

    /** Where the registry keeps a blob's bytes: {@code docker/registry/v2/blobs/sha256/xx/HEX/data}. */
    public Path blobData(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return storage().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    /** The registry's own log (errors only). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private boolean awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status == 200 || status == 401) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String htpasswdLine(String user, String password) throws IOException {
        Path htpasswd = Path.of("/usr/bin/htpasswd");
        if (Files.isExecutable(htpasswd)) {
            return run(htpasswd.toString(), "-nbB", "-C", "4", user, password).lines().findFirst().orElse("");
        }
        Path perl = Path.of("/usr/bin/perl");
        Assumptions.assumeTrue(Files.isExecutable(perl),
                "neither htpasswd (apt-get install -y apache2-utils) nor perl can make a bcrypt htpasswd line");
        String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder salt = new StringBuilder("$2b$04$");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 22; i++) {
            salt.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String hash = run(perl.toString(), "-e", "print crypt($ARGV[0], $ARGV[1])", password, salt.toString()).trim();
        Assumptions.assumeTrue(hash.startsWith("$2b$"),
                "this libc's crypt cannot make bcrypt hashes; install apache2-utils");
        return user + ":" + hash;
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(command[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
