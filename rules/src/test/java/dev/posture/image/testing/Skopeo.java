package dev.posture.image.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code skopeo copy} between local transports ({@code docker-archive:}, {@code oci:}, {@code oci-archive:}) to make
 * the layouts other tools write. Offline: only files are touched. Its own signature policy (accept anything) and
 * temp dir, so nothing of the machine's {@code /etc/containers} is needed.
 */
public final class Skopeo {
    private final Path work;
    private final Path policy;

    /** Skips the test when skopeo is missing. */
    public Skopeo(Path work) {
        Tools.assumeInstalled("skopeo", "skopeo");
        this.work = work;
        try {
            Files.createDirectories(work);
            policy = work.resolve("policy.json");
            Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code skopeo copy [options] FROM TO}, e.g. {@code copy("docker-archive:a.tar", "oci:dir:1.0")}. */
    public void copy(String from, String to, String... options) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--policy", policy.toString(), "copy", "--quiet",
                "--tmpdir", work.toString()));
        cmd.addAll(List.of(options));
        cmd.add(from);
        cmd.add(to);
        Tools.run(cmd, Map.of(), Duration.ofMinutes(2));
    }
}
