package dev.posture.cli;

import dev.posture.report.TerminalText;
import picocli.CommandLine;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;

/** Entry point of the runnable jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // stdout through a stream that remembers why a write failed (System.out only sets a flag)
        PrintStream out = CheckedPrintStream.of(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 13),
                stdoutCharset());
        int code = run(args, System.in, out, System.err, System.getenv());
        out.flush();
        System.exit(code);
    }

    /** Runs the CLI without exiting the JVM; tests call this. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, in, out, err, env, Path.of("").toAbsolutePath());
    }

    /**
     * Runs the CLI as if started in {@code workDir}: where the default ignore file is looked for and
     * what report locations are relative to (input paths still resolve against the process's directory).
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                   Path workDir) {
        Logging.configure(false);
        PostureCommand root = new PostureCommand(in, out, err, env, workDir);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("posture: internal error: " + TerminalText.escape(ex.toString()));
            if (Logging.verbose()) {
                ex.printStackTrace(err);
            }
            return ExitCodes.INCOMPLETE;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            err.println("posture: " + TerminalText.escape(ex.getMessage()));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            return ExitCodes.USAGE;
        });
        int code = cli.execute(args);
        // Whatever a command printed to stdout is lost when the write failed (disk full, closed pipe):
        // never exit as if it had arrived. `scan` says which report it was; other commands get this.
        out.flush();
        if (out.checkError() && !root.stdoutFailureReported) {
            err.println("posture: cannot write to standard output: " + CheckedPrintStream.reason(out));
            return Math.max(code, ExitCodes.INCOMPLETE);
        }
        return code;
    }

    /** The charset the JVM would have given System.out. */
    private static Charset stdoutCharset() {
        String enc = System.getProperty("sun.stdout.encoding");
        try {
            return enc == null ? Charset.defaultCharset() : Charset.forName(enc);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
