package dev.posture.cli;

import dev.posture.image.source.Platform;
import dev.posture.image.source.SourceOptions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** How images are reached (registries, daemon, platform): a picocli mixin shared by {@code scan} and {@code sbom}. */
final class ImageArgs {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The image of a multi-platform list to read (default: linux/amd64).")
    String platform;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Reach this registry over plain HTTP (repeatable; loopback registries need no flag).")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--registry-username", paramLabel = "USER",
            description = "Registry user (with --registry-password-stdin); default: the Docker config and its"
                    + " credential helpers.")
    String username;

    @Option(names = "--registry-password-stdin", description = "Read the registry password (or token) from stdin.")
    boolean passwordStdin;

    @Option(names = "--registry-timeout", paramLabel = "SECONDS",
            description = "Connect/read timeout for registries and daemons (default: 30).")
    int timeoutSeconds = 30;

    /** Thrown for a usage error, with the message for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param stdinTaken true when '-' is also a path: then the password cannot come from stdin
     */
    SourceOptions sources(Map<String, String> env, InputStream stdin, boolean stdinTaken) throws UsageException {
        Platform p = Platform.DEFAULT;
        if (platform != null) {
            try {
                p = Platform.parse(platform);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--platform: " + e.getMessage());
            }
        }
        if (passwordStdin && username == null) {
            throw new UsageException("--registry-password-stdin needs --registry-username");
        }
        if (passwordStdin && stdinTaken) {
            throw new UsageException("--registry-password-stdin and '-' (scan stdin) both want stdin");
        }
        if (timeoutSeconds <= 0) {
            throw new UsageException("--registry-timeout must be positive");
        }
        String password = null;
        if (passwordStdin) {
            try {
                byte[] b = stdin.readNBytes(64 * 1024);
                password = new String(b, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UsageException("--registry-password-stdin: cannot read stdin");
            }
            if (password.isEmpty()) {
                throw new UsageException("--registry-password-stdin: stdin was empty");
            }
        }
        String config = env.get("DOCKER_CONFIG");
        Path dockerConfig = config != null && !config.isBlank() ? Path.of(config, "config.json")
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
        String host = env.get("DOCKER_HOST");
        return new SourceOptions(p, new LinkedHashSet<>(insecure), username, password, dockerConfig,
                host != null && !host.isBlank() ? host : "unix:///var/run/docker.sock",
                Duration.ofSeconds(timeoutSeconds));
    }
}
