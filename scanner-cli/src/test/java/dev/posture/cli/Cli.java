package dev.posture.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real CLI entry point in-process and captures what it prints. */
record Cli(int exit, String out, String err) {

    static final Path ROOT = Path.of(System.getProperty("posture.root", "..")).toAbsolutePath().normalize();

    static String fixture(String rel) {
        return ROOT.resolve("fixtures").resolve(rel).toString();
    }

    static Cli run(String... args) {
        return runWithStdin("", Map.of(), args);
    }

    static Cli runWithStdin(String stdin, Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("POSTURE_STDOUT_TTY", "0");
        env.put("POSTURE_STDERR_TTY", "0");
        env.putAll(extraEnv);
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
