package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Finds the credentials for a registry the way the Docker CLI does: {@code --registry-username} first; else the
 * Docker config's {@code credHelpers} entry for the registry, else its {@code credsStore}, running
 * {@code docker-credential-NAME get}; else its {@code auths} entry ({@code identitytoken}, base64 {@code auth},
 * or {@code username}/{@code password}); else anonymous.
 *
 * <p>Not jib's {@code CredentialRetrieverFactory}: jib runs {@code docker-credential-NAME} through the JVM's own
 * PATH (a child's PATH is not searched by {@code ProcessBuilder}), waits for it without a time limit, and reads an
 * {@code identitytoken} only for Azure's null user. Here the helper is looked up on the PATH given, limited to the
 * source timeout, and a helper that is missing or fails leaves the image anonymous with the reason kept for the
 * 401 message. No secret is ever logged or put in a message.
 */
final class DockerCredentials {
    private static final Logger LOG = Logger.getLogger(DockerCredentials.class.getName());
    /** Docker Hub's names: the CLI stores its credentials under the legacy index URL. */
    private static final Set<String> HUB = Set.of(ImageReference.DOCKER_HUB, "index.docker.io", "docker.io");
    private static final String HUB_SERVER_URL = "https://index.docker.io/v1/";
    private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_HELPER_OUTPUT = 1 << 20;

    private final Map<String, String> env;
    private final Duration timeout;

    /** @param env the environment the helper is looked up in ({@code PATH}) and run with */
    DockerCredentials(Map<String, String> env, Duration timeout) {
        this.env = env;
        this.timeout = timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(30) : timeout;
    }

    RegistryCredential resolve(String registry, SourceOptions options) {
        if (options.username() != null) {
            return new RegistryCredential(options.username(), options.password() == null ? "" : options.password(),
                    "credentials from --registry-username");
        }
        Path file = options.dockerConfig();
        if (file == null || !Files.isRegularFile(file)) {
            return RegistryCredential.anonymous(null);
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            LOG.fine(() -> "docker config " + file + " is not valid JSON");
            return RegistryCredential.anonymous("the docker config " + file + " is not valid JSON");
        }
        String why = null;
        String helper = helperFor(config, registry);
        if (helper != null) {
            HelperAnswer answer = runHelper(helper, registry);
            if (answer.credential != null) {
                return answer.credential;
            }
            why = answer.why;
        }
        JsonNode auth = entryFor(config.path("auths"), registry);
        if (auth != null) {
            RegistryCredential c = fromAuths(auth, file);
            if (c != null) {
                return c;
            }
        }
        return RegistryCredential.anonymous(why);
    }

    private static String helperFor(JsonNode config, String registry) {
        JsonNode perRegistry = entryFor(config.path("credHelpers"), registry);
        if (perRegistry != null && perRegistry.isTextual() && !perRegistry.asText().isEmpty()) {
            return perRegistry.asText();
        }
        JsonNode store = config.path("credsStore");
        return store.isTextual() && !store.asText().isEmpty() ? store.asText() : null;
    }

    /** The value under the key naming {@code registry}: "host:port", "https://host:port/v1/", Hub's aliases. */
    private static JsonNode entryFor(JsonNode map, String registry) {
        if (!map.isObject()) {
            return null;
        }
        String want = registry.toLowerCase(Locale.ROOT);
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String host = hostOf(e.getKey());
            if (host.equals(want) || HUB.contains(want) && HUB.contains(host)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String hostOf(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        return slash >= 0 ? k.substring(0, slash) : k;
    }

    private static RegistryCredential fromAuths(JsonNode auth, Path file) {
        String origin = "credentials from " + file + " (auths)";
        String token = auth.path("identitytoken").asText("");
        if (!token.isEmpty()) {
            return new RegistryCredential(RegistryCredential.IDENTITY_TOKEN_USER, token, origin);
        }
        String encoded = auth.path("auth").asText("");
        if (!encoded.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "auths entry in " + file + " is not base64");
                return null;
            }
            int colon = pair.indexOf(':');
            return colon > 0
                    ? new RegistryCredential(pair.substring(0, colon), pair.substring(colon + 1), origin) : null;
        }
        String user = auth.path("username").asText("");
        return user.isEmpty() ? null : new RegistryCredential(user, auth.path("password").asText(""), origin);
    }

    private record HelperAnswer(RegistryCredential credential, String why) {
    }

    private HelperAnswer runHelper(String name, String registry) {
        String program = "docker-credential-" + name;
        if (!HELPER_NAME.matcher(name).matches()) {
            return new HelperAnswer(null, "credential helper name '" + name + "' is not valid");
        }
        Path exe = onPath(program);
        if (exe == null) {
            LOG.fine(() -> program + " is not on PATH");
            return new HelperAnswer(null, program + " is not on PATH");
        }
        String serverUrl = HUB.contains(registry) ? HUB_SERVER_URL : registry;
        try {
            ProcessBuilder pb = new ProcessBuilder(exe.toString(), "get")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readBounded(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a helper may exit before reading its input; its exit code tells
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // a shell script's children too
                p.destroyForcibly();
                return new HelperAnswer(null, program + " did not answer within " + timeout.toSeconds() + "s");
            }
            byte[] bytes = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                // "credentials not found in native keychain" is the helpers' agreed wording for "none stored"
                String why = text.contains("credentials not found") ? program + " has none for " + serverUrl
                        : program + " failed (exit " + p.exitValue() + ")";
                return new HelperAnswer(null, why);
            }
            JsonNode answer = new ObjectMapper().readTree(text);
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            if (secret.isEmpty()) {
                return new HelperAnswer(null, program + " has none for " + serverUrl);
            }
            // a Username of "<token>" marks an identity token, as in the Docker CLI
            return new HelperAnswer(new RegistryCredential(user, secret, "credentials from " + program), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HelperAnswer(null, program + " was interrupted");
        } catch (Exception e) { // its output is not JSON, it could not start…: never quote the output
            LOG.log(Level.FINE, program + " failed: " + e.getClass().getSimpleName());
            return new HelperAnswer(null, program + " failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Path onPath(String program) {
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static byte[] readBounded(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_HELPER_OUTPUT);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
