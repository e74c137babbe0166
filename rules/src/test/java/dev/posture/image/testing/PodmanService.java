package dev.posture.image.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private podman with its Docker-compatible API on a unix socket in a temp dir ({@code podman system service}),
 * for daemon sources. Everything podman keeps is under that dir: {@code --root}, {@code --runroot},
 * {@code --tmpdir} (so two podmans on one machine share nothing). {@code --storage-driver vfs}: the default overlay
 * driver leaves a mount under the root that outlives the service; {@code --cgroup-manager cgroupfs} and
 * {@code --events-backend file} keep podman from reaching for systemd and journald, which a container (root, no
 * init) lacks. Images go in with {@code podman load} (same flags, same storage).
 * {@link #close()} stops the service.
 */
public final class PodmanService implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final Process process;
    private final Path log;

    private PodmanService(Path dir) throws IOException {
        this.dir = dir;
        this.socket = dir.resolve("podman.sock");
        this.log = dir.resolve("service.log");
        List<String> cmd = new ArrayList<>(flags());
        cmd.addAll(List.of("system", "service", "--time=0", "unix://" + socket));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** Starts a service under {@code dir} (keep the path short: a unix socket path has at most 107 bytes). */
    public static PodmanService start(Path dir) {
        Tools.assumeInstalled("podman", "podman");
        try {
            Files.createDirectories(dir);
            PodmanService s = new PodmanService(dir);
            s.awaitSocket();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flags that keep this podman to its own dir; also for {@link #podman} commands against it. */
    public List<String> flags() {
        return List.of("podman", "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(), "--tmpdir", dir.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file");
    }

    /** The daemon host for {@code DOCKER_HOST} / {@code SourceOptions.dockerHost}. */
    public String host() {
        return "unix://" + socket;
    }

    /** {@code podman load -i archive}; returns what podman printed ("Loaded image: localhost/app:1.0"). */
    public String load(Path archive) {
        return podman("load", "-i", archive.toString()).stdout();
    }

    public Tools.Result podman(String... args) {
        List<String> cmd = new ArrayList<>(flags());
        cmd.addAll(List.of(args));
        return Tools.run(cmd, Map.of("TMPDIR", dir.resolve("tmp").toString()), Duration.ofMinutes(2));
    }

    private void awaitSocket() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("podman system service exited " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (Files.exists(socket)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException notYet) {
                    // listening soon
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        close();
        throw new IllegalStateException("podman system service did not listen on " + socket + " in 30 s:\n"
                + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
