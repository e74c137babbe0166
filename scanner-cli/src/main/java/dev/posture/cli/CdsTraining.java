package dev.posture.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's class-data-sharing training run: one JVM (a dynamic CDS archive records one run) that scans the
 * bundled demo and evaluates and tests a small policy, so the classes of both {@code posture scan} and
 * {@code posture policy …} come from the archive. Output is discarded; not a user command.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=A -cp posture.jar dev.posture.cli.CdsTraining DEMO_DIR}.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        Map<String, String> env = Map.of("CI", "true");
        if (args.length > 0) {
            // findings in the demo: exit 1 is expected
            expect(Main.run(new String[] {"scan", args[0], "-q", "-f", "json", "-o", "/dev/null"},
                    InputStream.nullInputStream(), none, none, env), ExitCodes.FINDINGS, "scan");
        }
        Path dir = Files.createTempDirectory("posture-cds");
        try {
            Path policy = dir.resolve("p.rego");
            Files.writeString(policy, """
                    package cds
                    import rego.v1
                    deny contains msg if {
                      some c in input.containers
                      not startswith(c.image, "registry.example.com/")
                      regex.match(`:latest$`, c.image)
                      msg := sprintf("%s uses %v", [c.name, c.image])
                    }
                    test_deny if count(deny) == 1 with input as {"containers": [{"name": "a", "image": "x:latest"}]}
                    """);
            String input = "{\"containers\": [{\"name\": \"a\", \"image\": \"x:latest\"}]}";
            expect(Main.run(new String[] {"policy", "eval", "-d", policy.toString(), "-i", "-", "data.cds.deny"},
                    new ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)), none, none, env),
                    ExitCodes.OK, "policy eval");
            expect(Main.run(new String[] {"policy", "test", dir.toString()}, InputStream.nullInputStream(), none, none, env),
                    ExitCodes.OK, "policy test");
        } finally {
            Files.deleteIfExists(dir.resolve("p.rego"));
            Files.deleteIfExists(dir);
        }
    }

    /** A failed step fails the training run, and the launcher then keeps no archive. */
    private static void expect(int exit, int ok, String step) {
        if (exit != ExitCodes.OK && exit != ok) {
            throw new IllegalStateException("CDS training: " + step + " exited " + exit);
        }
    }
}
