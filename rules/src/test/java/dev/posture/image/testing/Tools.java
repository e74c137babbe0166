package dev.posture.image.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Running the real tools tests cross-check against (skopeo, podman, zstd…); a missing tool skips the test. */
public final class Tools {
    private Tools() {
    }

    /** Skips the calling test, naming the tool and the package CI installs, when the tool is not on the PATH. */
    public static void assumeInstalled(String tool, String aptPackage) {
        Assumptions.assumeTrue(installed(tool),
                tool + " is not installed (apt-get install -y " + aptPackage + "); test skipped");
    }

    public static boolean installed(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** What a finished command printed. */
    public record Result(int exit, String stdout, String stderr) {
    }

    /**
     * Runs a command to its end (killed after the timeout) and fails with its output unless it exits 0.
     *
     * @param env extra environment variables
     */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        Result r = runAllowingFailure(command, env, timeout);
        if (r.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit + ":\n" + r.stderr + r.stdout);
        }
        return r;
    }

    public static Result runAllowingFailure(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("posture-tool", ".out");
            Path err = Files.createTempFile("posture-tool", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command.get(0), e);
        }
    }
}
