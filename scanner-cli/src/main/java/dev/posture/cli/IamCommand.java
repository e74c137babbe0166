package dev.posture.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posture iam …}: tools around the IAM action catalog. */
@Command(name = "iam", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "IAM action catalog tools.",
        subcommands = {IamCatalogCommand.class},
        footer = {"", "Examples:", "  posture iam catalog import s3.json",
                "  POSTURE_IAM_CATALOG=./catalog.tsv.gz posture scan template.yaml"})
final class IamCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
