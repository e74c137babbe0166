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
        return runIn(Path.of("").toAbsolutePath(), stdin, extraEnv, args);
    }

    /** As if started in {@code workDir} (where the default ignore file is looked for). */
    static Cli runIn(Path workDir, String stdin, Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env(extraEnv), workDir);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** With stdout going to {@code stdout} (e.g. a stream that fails); {@link #out()} is empty. */
    static Cli runTo(PrintStream stdout, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), stdout,
                new PrintStream(err, true, StandardCharsets.UTF_8), env(Map.of()));
        return new Cli(code, "", err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("POSTURE_STDOUT_TTY", "0");
        env.put("POSTURE_STDERR_TTY", "0");
        env.putAll(extraEnv);
        return env;
    }
}
