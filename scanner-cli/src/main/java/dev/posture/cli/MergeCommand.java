package dev.posture.cli;

import dev.posture.iam.analysis.IamAnalyzer;
import dev.posture.image.ImageAnalyzer;
import dev.posture.kubernetes.KubernetesAnalyzer;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Theme;
import dev.posture.policy.ModuleIndex;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyRules;
import dev.posture.policy.PolicySources;
import dev.posture.report.JsonReportReader;
import dev.posture.report.ReportMerger;
import dev.posture.report.TerminalText;
import dev.posture.scan.ScanResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code posture report merge}: combine the JSON reports of several scans (the shards of one scan) into one. */
@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Combine JSON reports into one report, in every format: usually the shards",
                "of one scan (posture scan --shard K/N). Findings are de-duplicated by",
                "fingerprint; a target that failed in any report stays failed. One rule with",
                "different metadata in two reports is an error; different posture versions,",
                "shards of different counts and missing shards are warnings."},
        footer = {"", "Examples:",
                "  posture report merge shard-*.json -f table -f json=posture.json",
                "  posture report merge a.json b.json -f sarif=posture.sarif --fail-on high",
                "", "Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage error or",
                "conflicting reports, 3 a merged target failed, or a report could not be",
                "written (wins over 1)."})
final class MergeCommand implements Callable<Integer> {

    @ParentCommand
    ReportCommand report;

    @Parameters(paramLabel = "REPORT.json", arity = "1..*", description = "JSON reports written by 'posture scan -f json'.")
    List<String> reports = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT[=PATH]",
            description = "Report format (as for 'posture scan'); '=PATH' writes it to a file. Repeatable."
                    + " Default: table on a terminal, json otherwise.")
    List<String> formats = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the (single) report to FILE.")
    String output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 when an unsuppressed merged finding is at or above SEVERITY. Default: never.")
    String failOn;

    @Option(names = "--no-color", description = "No colours in table output (also: NO_COLOR env).")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but the reports (no warnings).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Show suppressed findings in the table.")
    boolean verbose;

    @Override
    public Integer call() {
        PostureCommand parent = report.parent;
        PrintStream err = parent.err;
        Terminal term = Terminal.detect(parent.env);

        Severity threshold = null;
        if (failOn != null) {
            try {
                threshold = Severity.parse(failOn);
            } catch (IllegalArgumentException e) {
                return usage("--fail-on: " + e.getMessage());
            }
        }
        List<ReportSpec> specs;
        try {
            specs = ReportSpec.resolve(formats, output, term.stdoutTty());
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }

        // the reports read, and report paths that must not replace them
        List<Path> inputs = new ArrayList<>();
        try {
            for (String r : reports) {
                inputs.add(Path.of(r));
            }
            List<Path> written = new ArrayList<>();
            for (ReportSpec s : specs) {
                if (s.path() == null) {
                    continue;
                }
                Path rp = Path.of(s.path());
                String why = ReportFile.refusal(rp, inputs);
                if (why != null) {
                    return usage(why.replace("scanned input", "merged report"));
                }
                for (Path earlier : written) {
                    if (earlier.toAbsolutePath().normalize().equals(rp.toAbsolutePath().normalize())
                            || ReportFile.sameFile(earlier, rp)) {
                        return usage("two reports would be written to " + rp);
                    }
                }
                written.add(rp);
            }
        } catch (InvalidPathException e) {
            return usage("invalid path: " + e.getMessage());
        }

        // ---- read: a file that is not a posture JSON report is a usage error naming it
        Map<String, Rule> builtin = builtinRules();
        JsonReportReader reader = new JsonReportReader();
        List<ReportMerger.Input> read = new ArrayList<>();
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                return usage(p + ": " + (Files.exists(p) ? "not a regular file" : "no such file"));
            }
            try {
                read.add(new ReportMerger.Input(p.toString(), reader.readResult(p, builtin::get)));
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                return usage(m.startsWith(p.toString()) ? m : p + ": " + m);
            }
        }

        // ---- merge
        ScanResult result;
        try {
            result = new ReportMerger(Version.get(), parent.workDir.toString()).merge(read).result();
        } catch (ReportMerger.Conflict e) {
            return usage(e.getMessage());
        }
        if (!quiet) {
            for (String w : result.warnings()) {
                err.println("posture: warning: " + TerminalText.escape(w));
            }
        }

        // ---- write
        return ScanCommand.writeAndGate(specs, result, parent, !noColor && !term.noColor() && term.stdoutTty(), verbose,
                quiet, term.columns(), threshold, false, "merged scan");
    }

    /**
     * The built-in rules by id, so that merged SARIF carries their description, remediation and references (a JSON
     * report holds only id, title, severity, surface, theme and control). Used only when a report's metadata equals
     * the built-in rule's; custom policies keep what the report holds.
     */
    static Map<String, Rule> builtinRules() {
        Map<String, Rule> out = new HashMap<>();
        for (Rule r : IamAnalyzer.rules()) {
            out.put(r.id(), r);
        }
        try {
            out.putAll(PolicyRules.of(ModuleIndex.of(PolicySources.bundled("policies/kubernetes"))
                    .packages(KubernetesAnalyzer.PACKAGE_PREFIX), "k8s-", Theme.CLUSTER, w -> { }).byId());
            out.putAll(PolicyRules.of(ModuleIndex.of(PolicySources.bundled("policies/image"))
                    .packages(ImageAnalyzer.PACKAGE_PREFIX), "img-", Theme.IMAGE, w -> { }).byId());
        } catch (PolicyException | RuntimeException e) {
            // without them, merged rules carry what the reports hold
        }
        return out;
    }

    private int usage(String message) {
        report.parent.err.println("posture report merge: " + TerminalText.escape(message));
        report.parent.err.println("Try 'posture report merge --help' for more information.");
        return ExitCodes.USAGE;
    }
}
