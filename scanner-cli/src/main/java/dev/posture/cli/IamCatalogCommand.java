package dev.posture.cli;

import dev.posture.iam.catalog.ImportSummary;
import dev.posture.iam.catalog.ServiceReferenceImporter;
import dev.posture.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code posture iam catalog import FILE}: refresh the action catalog from AWS's service reference. */
@Command(name = "catalog", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Manage the IAM action catalog used for wildcard expansion and access levels.",
        subcommands = {IamCatalogCommand.Import.class},
        footer = {"", "Example:", "  posture iam catalog import ./service-reference/"})
final class IamCatalogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Import AWS's published service-reference JSON (one service file, a directory of them,",
                    "or a JSON array of services) into the catalog posture uses. Imported services replace",
                    "the bundled ones; other services are kept."},
            footer = {"", "Examples:",
                    "  posture iam catalog import s3.json",
                    "  posture iam catalog import ./service-reference/ --output ./catalog.tsv.gz",
                    "", "The scan then uses ~/.posture/iam-catalog.tsv.gz (or POSTURE_IAM_CATALOG=FILE)."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Service-reference JSON file or directory.")
        Path input;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Where to write the catalog (default: ~/.posture/iam-catalog.tsv.gz).")
        Path output;

        @Override
        public Integer call() {
            var err = spec.commandLine().getErr();
            if (!Files.exists(input)) {
                err.println("posture iam catalog import: " + TerminalText.escape(input.toString()) + ": no such file or directory");
                return ExitCodes.USAGE;
            }
            Path out = output != null ? output : ServiceReferenceImporter.defaultOutput();
            try {
                ImportSummary s = ServiceReferenceImporter.importFrom(input, out);
                spec.commandLine().getOut().println(s.describe());
                return ExitCodes.OK;
            } catch (IOException | RuntimeException e) {
                err.println("posture iam catalog import: " + TerminalText.escape(input + ": " + e.getMessage()));
                return ExitCodes.USAGE;
            }
        }
    }
}
