package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker config as the Docker CLI reads it, and credential helpers run from the PATH given. */
class DockerCredentialsTest {
    @TempDir
    Path dir;

    RegistryCredential resolve(String registry, String config, Map<String, String> env) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), config);
        SourceOptions options = new SourceOptions(Platform.DEFAULT, Set.of(), null, null, file, null,
                Duration.ofSeconds(5));
        return new DockerCredentials(env, Duration.ofSeconds(2)).resolve(registry, options);
    }

    static String basic(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    Map<String, String> helper(String name, String script) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path p = Files.writeString(bin.resolve("docker-credential-" + name), "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    @Test
    void authsKeysAreMatchedByHostWhateverTheirSchemeAndPath() throws IOException {
        String config = "{\"auths\":{\"https://ghcr.io/v1/\":{\"auth\":\"" + basic("u:p:with:colons") + "\"}}}";
        RegistryCredential c = resolve("ghcr.io", config, Map.of());
        assertThat(c.username()).isEqualTo("u");
        assertThat(c.secret()).isEqualTo("p:with:colons");
        assertThat(c.origin()).isEqualTo("credentials from " + dir.resolve("config.json") + " (auths)");
        assertThat(c.toString()).doesNotContain("p:with:colons");

        assertThat(resolve("ghcr.io:443", config, Map.of()).isAnonymous()).isTrue();
        assertThat(resolve("example.com", config, Map.of()).origin()).isEqualTo("no credentials");
    }

    @Test
    void dockerHubCredentialsAreStoredUnderTheLegacyIndexUrl() throws IOException {
        String config = "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + basic("hub:pw") + "\"}}}";
        assertThat(resolve(ImageReference.DOCKER_HUB, config, Map.of()).username()).isEqualTo("hub");
    }

    @Test
    void identityTokenAndPlainFields() throws IOException {
        RegistryCredential token = resolve("acr.example", "{\"auths\":{\"acr.example\":{\"auth\":\""
                + basic("00000000-0000-0000-0000-000000000000:") + "\",\"identitytoken\":\"refresh-me\"}}}", Map.of());
        assertThat(token.username()).isEqualTo(RegistryCredential.IDENTITY_TOKEN_USER);
        assertThat(token.secret()).isEqualTo("refresh-me");

        RegistryCredential plain = resolve("r.example",
                "{\"auths\":{\"r.example\":{\"username\":\"x\",\"password\":\"y\"}}}", Map.of());
        assertThat(plain.username()).isEqualTo("x");
        assertThat(plain.secret()).isEqualTo("y");

        assertThat(resolve("r.example", "{\"auths\":{\"r.example\":{\"auth\":\"%%%\"}}}", Map.of()).isAnonymous())
                .isTrue();
        assertThat(resolve("r.example", "{\"auths\":{\"r.example\":{}}}", Map.of()).isAnonymous()).isTrue();
    }

    @Test
    void commandLineCredentialsWin() throws IOException {
        SourceOptions options = new SourceOptions(Platform.DEFAULT, Set.of(), "cli", "pw", dir.resolve("none"), null,
                Duration.ofSeconds(5));
        RegistryCredential c = new DockerCredentials(Map.of(), Duration.ofSeconds(2)).resolve("r.example", options);
        assertThat(c.username()).isEqualTo("cli");
        assertThat(c.origin()).isEqualTo("credentials from --registry-username");
    }

    @Test
    void credHelpersThenCredsStoreThenAuths() throws IOException {
        Map<String, String> env = helper("pass",
                "read url; printf '{\"Username\":\"from-%s\",\"Secret\":\"s\"}' \"$url\"");
        RegistryCredential perRegistry = resolve("r.example:5000", "{\"credHelpers\":{\"r.example:5000\":\"pass\"},"
                + "\"auths\":{\"r.example:5000\":{\"auth\":\"" + basic("a:b") + "\"}}}", env);
        assertThat(perRegistry.username()).isEqualTo("from-r.example:5000");
        assertThat(perRegistry.origin()).isEqualTo("credentials from docker-credential-pass");

        RegistryCredential store = resolve("other.example", "{\"credsStore\":\"pass\"}", env);
        assertThat(store.username()).isEqualTo("from-other.example");

        RegistryCredential hub = resolve(ImageReference.DOCKER_HUB, "{\"credsStore\":\"pass\"}", env);
        assertThat(hub.username()).isEqualTo("from-https://index.docker.io/v1/");
    }

    @Test
    void aHelperThatHasNothingFailsOrHangsLeavesItAnonymousWithTheReason() throws IOException {
        Map<String, String> none = helper("none", "echo 'credentials not found in native keychain'; exit 1");
        assertThat(resolve("r.example", "{\"credsStore\":\"none\"}", none).origin())
                .isEqualTo("no credentials: docker-credential-none has none for r.example");

        Map<String, String> broken = helper("broken", "echo 'secret-looking output'; exit 2");
        assertThat(resolve("r.example", "{\"credsStore\":\"broken\"}", broken).origin())
                .isEqualTo("no credentials: docker-credential-broken failed (exit 2)");

        Map<String, String> hangs = helper("hangs", "sleep 30");
        assertThat(resolve("r.example", "{\"credsStore\":\"hangs\"}", hangs).origin())
                .isEqualTo("no credentials: docker-credential-hangs did not answer within 2s");

        Map<String, String> garbage = helper("garbage", "echo not json");
        assertThat(resolve("r.example", "{\"credsStore\":\"garbage\"}", garbage).origin())
                .startsWith("no credentials: docker-credential-garbage failed (");

        // a failing helper still lets the auths entry answer, as jib and the Docker CLI's file store do
        RegistryCredential fallback = resolve("r.example", "{\"credsStore\":\"none\",\"auths\":{\"r.example\":"
                + "{\"auth\":\"" + basic("a:b") + "\"}}}", none);
        assertThat(fallback.username()).isEqualTo("a");
    }

    @Test
    void helperNamesCannotLeaveThePath() throws IOException {
        assertThat(resolve("r.example", "{\"credsStore\":\"../../bin/sh\"}", Map.of("PATH", "/usr/bin")).origin())
                .isEqualTo("no credentials: credential helper name '../../bin/sh' is not valid");
    }

    @Test
    void anUnreadableConfigIsNoCredentialsWithTheReason() throws IOException {
        assertThat(resolve("r.example", "{not json", Map.of()).origin())
                .isEqualTo("no credentials: the docker config " + dir.resolve("config.json") + " is not valid JSON");
    }
}
