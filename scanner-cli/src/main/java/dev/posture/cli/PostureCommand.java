package dev.posture.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** The top-level {@code posture} command. */
@Command(name = "posture",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Security posture scanner for serverless functions (AWS Lambda, IAM) and containers",
                "(images, Kubernetes manifests). One report, both surfaces."},
        subcommands = {ScanCommand.class, ReportCommand.class, SbomCommand.class, DbCommand.class, PolicyCommand.class, IamCommand.class},
        footer = {"", "Examples:",
                "  posture scan fixtures/demo",
                "  posture scan infra/ -f table -f sarif=posture.sarif --fail-on high",
                "  posture scan --aws --aws-region eu-west-1 -f json -o live.json",
                "  posture sbom fixtures/demo/images/storefront.tar -o bom.json",
                "  posture report merge shard-*.json -f table -f sarif=posture.sarif",
                "", "Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage error, 3 scan incomplete."})
public final class PostureCommand implements Runnable {
    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    /** The directory the command runs in: default ignore file, base of report locations. */
    final Path workDir;
    /** Set when a command already told the user that writing to stdout failed. */
    boolean stdoutFailureReported;

    @Spec
    CommandSpec spec;

    PostureCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path workDir) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.workDir = workDir;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }
}
