package dev.posture.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posture report …}: work on JSON reports written by earlier scans. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Work on JSON reports of earlier scans.",
        subcommands = {MergeCommand.class},
        footer = {"", "Examples:", "  posture report merge shard-*.json -f table -f sarif=posture.sarif"})
final class ReportCommand implements Runnable {
    @picocli.CommandLine.ParentCommand
    PostureCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
