package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.posture.image.testing.LocalRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials against a real registry behind htpasswd Basic auth: {@code --registry-username}, the Docker config's
 * {@code auths}, a credential helper ({@code credHelpers}, {@code credsStore}) found on the PATH given, and
 * anonymous; the 401 message says where the credentials came from and never holds the password.
 */
class RegistrySourceAuthTest {
    static final String USER = "alice";
    static final String PASSWORD = "s3cret-Pa55word-" + Long.toHexString(System.nanoTime());
    static final java.util.logging.Logger JIB = java.util.logging.Logger.getLogger("com.google.cloud.tools.jib");
    static LocalRegistry registry;
    static String ref;
    static TestImages.Pushed pushed;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        JIB.setLevel(java.util.logging.Level.WARNING); // jib's routine fallback-to-HTTP notes
        registry = LocalRegistry.startWithHtpasswd(USER, PASSWORD);
        ref = registry.address() + "/shop/private:1.0";
        Path archive = TestImages.dockerArchive(work.resolve("private.tar"), "private:1", "amd64",
                TestImages.setuidAndWhiteout());
        TestImages.push(work, "docker-archive:" + archive, ref, "--dest-creds", USER + ":" + PASSWORD);
        pushed = TestImages.inspect(work, ref, "--creds", USER + ":" + PASSWORD);
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
    }

    static SourceOptions options(String user, String password, Path dockerConfig) {
        return new SourceOptions(Platform.DEFAULT, Set.of(), user, password,
                dockerConfig == null ? work.resolve("absent.json") : dockerConfig, null, Duration.ofSeconds(10));
    }

    static ImageManifest read(SourceOptions options, Map<String, String> env) throws Exception {
        RecordingSink sink = new RecordingSink();
        ImageManifest m;
        try (RegistrySource source = new RegistrySource(ImageReference.parse(ref), options, env,
                RegistryRetry.DEFAULT)) {
            m = source.read(sink);
        }
        assertThat(m.manifestDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(m.layers()).extracting(LayerDescriptor::digest).containsExactlyElementsOf(pushed.layerDigests());
        assertThat(sink.blobs.values()).extracting(RecordingSink.Blob::sha256)
                .containsExactlyInAnyOrderElementsOf(pushed.layerDigests());
        return m;
    }

    static Path dockerConfig(String json) throws IOException {
        return Files.writeString(Files.createTempFile(work, "config", ".json"), json);
    }

    /** A {@code docker-credential-NAME} script in its own directory that records what it was asked. */
    static Path helper(String name, String user, String secret) throws IOException {
        Path bin = Files.createTempDirectory(work, "bin");
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, """
                #!/bin/sh
                test "$1" = get || exit 3
                cat > "%s"
                printf '{"ServerURL":"x","Username":"%s","Secret":"%s"}'
                """.formatted(bin.resolve("asked"), user, secret));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    static Map<String, String> path(Path bin) {
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    @Test
    void anonymousIsRefusedWithAMessageSayingSo() {
        assertThatThrownBy(() -> read(options(null, null, null), Map.of()))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + ref + ": unauthorized for shop/private (HTTP 401, no credentials)");
    }

    @Test
    void usernameAndPasswordFromTheCommandLine() throws Exception {
        read(options(USER, PASSWORD, null), Map.of());
    }

    @Test
    void wrongPasswordNamesWhereTheCredentialsCameFromAndNotThePassword() {
        assertThatThrownBy(() -> read(options(USER, "wrong-" + PASSWORD, null), Map.of()))
                .isInstanceOf(ImageException.class)
                .hasMessage("registry " + ref + ": unauthorized for shop/private (HTTP 401, credentials from"
                        + " --registry-username)")
                .hasNoCause();
    }

    @Test
    void dockerConfigAuths() throws Exception {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        read(options(null, null, dockerConfig("{\"auths\":{\"other.example\":{\"auth\":\"eDp5\"},\"https://"
                + registry.address() + "/v1/\":{\"auth\":\"" + auth + "\"}}}")), Map.of());

        String bad = Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8));
        Path config = dockerConfig("{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + bad + "\"}}}");
        assertThatThrownBy(() -> read(options(null, null, config), Map.of()))
                .hasMessage("registry " + ref + ": unauthorized for shop/private (HTTP 401, credentials from "
                        + config + " (auths))");
    }

    @Test
    void commandLineCredentialsComeBeforeTheDockerConfig() throws Exception {
        String bad = Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8));
        read(options(USER, PASSWORD, dockerConfig("{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + bad
                + "\"}}}")), Map.of());
    }

    @Test
    void credentialHelperForTheRegistry() throws Exception {
        Path bin = helper("posturetest", USER, PASSWORD);
        String bad = Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8));
        // credHelpers wins over a (wrong) auths entry
        read(options(null, null, dockerConfig("{\"credHelpers\":{\"" + registry.address() + "\":\"posturetest\"},"
                + "\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + bad + "\"}}}")), path(bin));
        assertThat(Files.readString(bin.resolve("asked"))).isEqualTo(registry.address());
    }

    @Test
    void credentialStoreForAllRegistries() throws Exception {
        Path bin = helper("posturestore", USER, PASSWORD);
        read(options(null, null, dockerConfig("{\"credsStore\":\"posturestore\",\"auths\":{\"" + registry.address()
                + "\":{}}}")), path(bin));
        assertThat(Files.readString(bin.resolve("asked"))).isEqualTo(registry.address());

        Path wrong = helper("posturestore", USER, "not-it");
        assertThatThrownBy(() -> read(options(null, null, dockerConfig("{\"credsStore\":\"posturestore\"}")),
                path(wrong)))
                .hasMessage("registry " + ref + ": unauthorized for shop/private (HTTP 401, credentials from"
                        + " docker-credential-posturestore)");
    }

    @Test
    void missingHelperLeavesTheImageAnonymousAndSaysWhy() throws Exception {
        Path config = dockerConfig("{\"credsStore\":\"absent\"}");
        assertThatThrownBy(() -> read(options(null, null, config), path(work)))
                .hasMessage("registry " + ref + ": unauthorized for shop/private (HTTP 401, no credentials:"
                        + " docker-credential-absent is not on PATH)");
    }

    @Test
    void noLogRecordHoldsTheSecretEvenWhenVerbose() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String text = r.getMessage() + " " + java.util.Arrays.toString(r.getParameters());
                for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                    text += " " + t;
                }
                synchronized (logged) {
                    logged.add(text);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // what the CLI sets for -v: our loggers and jib's verbose, the HTTP libraries at INFO
        Map<String, Level> verbose = Map.of("dev.posture", Level.ALL, "com.google.cloud.tools.jib", Level.ALL,
                "org.apache.http", Level.INFO, "com.google.api.client", Level.INFO, "", Level.INFO);
        List<Logger> keep = new ArrayList<>();
        Map<Logger, Level> before = new java.util.HashMap<>();
        for (var e : verbose.entrySet()) {
            Logger l = Logger.getLogger(e.getKey());
            keep.add(l);
            before.put(l, l.getLevel());
            l.setLevel(e.getValue());
        }
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            read(options(USER, PASSWORD, null), Map.of());
            Path bin = helper("posturetest", USER, PASSWORD);
            read(options(null, null, dockerConfig("{\"credHelpers\":{\"" + registry.address()
                    + "\":\"posturetest\"}}")), path(bin));
            assertThatThrownBy(() -> read(options(USER, PASSWORD + "x", null), Map.of()))
                    .isInstanceOf(ImageException.class);
        } finally {
            root.removeHandler(capture);
            before.forEach(Logger::setLevel);
        }
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(logged).isNotEmpty()
                .noneMatch(s -> s.contains(PASSWORD))
                .noneMatch(s -> s.contains(basic));
        assertThat(keep).hasSize(verbose.size());
    }
}
