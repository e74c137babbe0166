package dev.posture.cli;

import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** Entry point of the runnable jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err, System.getenv());
        System.exit(code);
    }

    /** Runs the CLI without exiting the JVM; tests call this. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Logging.configure(false);
        PostureCommand root = new PostureCommand(in, out, err, env);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("posture: internal error: " + ex);
            if (Logging.verbose()) {
                ex.printStackTrace(err);
            }
            return ExitCodes.INCOMPLETE;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            err.println("posture: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }
}
