package dev.posture.image.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How sources reach images.
 *
 * @param platform           which manifest of a list/index to take ({@code --platform}, default linux/amd64)
 * @param insecureRegistries registries reached over plain HTTP ({@code --insecure-registry HOST[:PORT]}); loopback
 *                           registries need no flag
 * @param username           {@code --registry-username}, null when not given (then the Docker config and its
 *                           credential helpers are asked)
 * @param password           {@code --registry-password-stdin}, null when not given; never logged
 * @param dockerConfig       the Docker client config ({@code $DOCKER_CONFIG/config.json}, else
 *                           {@code ~/.docker/config.json}); may not exist
 * @param dockerHost         the daemon to ask for {@code daemon://} images ({@code DOCKER_HOST}, else
 *                           {@code unix:///var/run/docker.sock})
 * @param timeout            connect/read timeout for registries and daemons
 */
public record SourceOptions(Platform platform, Set<String> insecureRegistries, String username, String password,
                            Path dockerConfig, String dockerHost, Duration timeout) {
    public SourceOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    public static SourceOptions defaults() {
        String config = System.getenv("DOCKER_CONFIG");
        Path dockerConfig = config != null && !config.isBlank() ? Path.of(config, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        String host = System.getenv("DOCKER_HOST");
        return new SourceOptions(Platform.DEFAULT, Set.of(), null, null, dockerConfig,
                host != null && !host.isBlank() ? host : "unix:///var/run/docker.sock", Duration.ofSeconds(30));
    }

    @Override
    public String toString() { // never the password
        return "SourceOptions[platform=" + platform + ", insecure=" + insecureRegistries + ", user=" + username
                + ", dockerConfig=" + dockerConfig + ", dockerHost=" + dockerHost + ", timeout=" + timeout + "]";
    }
}
