package dev.posture.cli;

import dev.posture.document.InputException;
import dev.posture.model.BaselineState;
import dev.posture.model.Finding;
import dev.posture.model.Severity;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.report.TerminalText;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.triage.Baseline;
import dev.posture.triage.IgnoreEntry;
import dev.posture.triage.IgnoreFile;
import dev.posture.triage.Triage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code posture scan}: the main job. */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Scan files, directories, stdin, images and live AWS; report findings on both surfaces.",
                "Inputs are recognised by content: Kubernetes manifests, IAM policies, CloudFormation/SAM templates,",
                "serverless.yml, Terraform plan JSON, image archives. Directories are walked recursively",
                "(.git, node_modules and target are skipped)."},
        footer = {"", "Examples:",
                "  posture scan fixtures/demo",
                "  posture scan . -f table -f sarif=posture.sarif -f json=posture.json",
                "  posture scan . -f markdown=posture.md -f junit=posture-junit.xml",
                "  posture scan template.yaml --fail-on high",
                "  cat policy.json | posture scan -",
                "  posture scan infra/ --baseline main.json --fail-on-new --fail-on medium",
                "  posture scan --aws --aws-region eu-west-1 --aws-region us-east-1 --aws-profile audit",
                "  posture scan infra/ --shard 2/5 -f json=shard-2.json",
                "  posture scan k8s/ --policy policy/ --policy gatekeeper/ --fail-on high",
                "", "Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage error,",
                "3 scan incomplete (a target failed, or a report could not be written; wins over 1)."})
final class ScanCommand implements Callable<Integer> {

    @ParentCommand
    PostureCommand parent;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories to scan; '-' reads stdin.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--image", paramLabel = "REF", description = "Scan a container image by reference (repeatable).")
    List<String> images = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT[=PATH]",
            description = "Report format: table, json, sarif, markdown (PR comments, $GITHUB_STEP_SUMMARY), junit"
                    + " (JUnit XML for CI test views) or html (one self-contained file for auditors); '=PATH' writes it to a file. Repeatable."
                    + " Default: table on a terminal, json otherwise.")
    List<String> formats = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the (single) report to FILE.")
    String output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 when an unsuppressed finding is at or above SEVERITY"
                    + " (critical, high, medium, low, info). Default: never.")
    String failOn;

    @Option(names = "--fail-on-new", description = "Gate only on findings that are new against --baseline.")
    boolean failOnNew;

    @Option(names = "--baseline", paramLabel = "OLD.json", description = "An earlier JSON report: mark findings new or unchanged.")
    Path baseline;

    @Option(names = "--ignore-file", paramLabel = "FILE",
            description = "Suppressions (default: .posture-ignore.yaml in the current directory, if present)."
                    + " In pull-request CI, take it from the base branch: the checkout's own file is the PR's.")
    Path ignoreFile;

    @Option(names = "--no-ignore-file",
            description = "Apply no suppressions at all, not even .posture-ignore.yaml or posture.dev/ignore"
                    + " annotations in manifests (for audits).")
    boolean noIgnoreFile;

    @ArgGroup(exclusive = false, heading = "%nLive AWS:%n")
    AwsArgs aws;

    @picocli.CommandLine.Mixin
    ImageArgs imageArgs = new ImageArgs();

    @picocli.CommandLine.Mixin
    OpaArgs opaArgs = new OpaArgs();

    @picocli.CommandLine.Mixin
    PolicyArgs policyArgs = new PolicyArgs();

    @Option(names = "--max-image-age", paramLabel = "DAYS",
            description = "An image built longer ago is stale (image-stale; default: 365).")
    int maxImageAge = dev.posture.image.ImageOptions.DEFAULT_MAX_AGE_DAYS;

    @Option(names = "--vuln-db", paramLabel = "DIR",
            description = "An OSV database ('posture db update' writes one): match the images' packages against it.")
    Path vulnDb;

    @Option(names = "--verify-key", paramLabel = "PEM",
            description = "A cosign public key (repeatable): images from registries must carry a signature one of them verifies.")
    List<Path> verifyKeys = new ArrayList<>();

    @Option(names = "--require-signature",
            description = "With --verify-key: an image whose signature cannot be checked (archive, OCI layout, daemon) counts as unsigned.")
    boolean requireSignature;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Scan only the K-th of N parts of the targets (a stable partition by a hash of each input's"
                    + " name; Kubernetes manifests are read by every shard, each reports its own files). Merge the N"
                    + " JSON reports with 'posture report merge'.")
    String shard;

    @Option(names = {"-j", "--parallel"}, paramLabel = "N", description = "Targets (and Kubernetes objects) scanned in parallel (default: cores).")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-color", description = "No colours in table output (also: NO_COLOR env).")
    boolean noColor;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but the reports (no warnings, no progress).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Show suppressed findings in the table and library logs on stderr.")
    boolean verbose;

    /** Options for {@code --aws}. */
    static final class AwsArgs {
        @Option(names = "--aws", required = true, description = "Scan live AWS Lambda functions and IAM (read-only calls).")
        boolean enabled;

        @Option(names = "--aws-region", paramLabel = "R", description = "Region to scan (repeatable; default: the profile's region).")
        List<String> regions = new ArrayList<>();

        @Option(names = "--aws-profile", paramLabel = "P", description = "Named profile (default credential chain otherwise).")
        String profile;

        @Option(names = "--aws-function", paramLabel = "NAME", description = "Only these functions (repeatable).")
        List<String> functions = new ArrayList<>();
    }

    @Override
    public Integer call() {
        PrintStream err = parent.err;
        Logging.configure(verbose);
        Terminal term = Terminal.detect(parent.env);

        // ---- usage checks: all before any work
        boolean live = aws != null && aws.enabled;
        if (paths.isEmpty() && images.isEmpty() && !live) {
            return usage("nothing to scan: give a PATH, '-', --image REF or --aws");
        }
        Severity threshold = null;
        if (failOn != null) {
            try {
                threshold = Severity.parse(failOn);
            } catch (IllegalArgumentException e) {
                return usage("--fail-on: " + e.getMessage());
            }
        }
        if (failOnNew && baseline == null) {
            return usage("--fail-on-new needs --baseline OLD.json");
        }
        dev.posture.scan.Shard part = dev.posture.scan.Shard.ALL;
        if (shard != null) {
            try {
                part = dev.posture.scan.Shard.parse(shard);
            } catch (IllegalArgumentException e) {
                return usage("--shard: " + e.getMessage());
            }
        }
        List<ReportSpec> specs;
        try {
            specs = ReportSpec.resolve(formats, output, term.stdoutTty());
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        dev.posture.image.ImageOptions imageOptions;
        try {
            if (maxImageAge < 0) {
                return usage("--max-image-age must not be negative");
            }
            dev.posture.vuln.osv.OsvDatabase db = null;
            if (vulnDb != null) {
                List<String> dbWarnings = new ArrayList<>();
                try {
                    db = dev.posture.vuln.osv.OsvDatabase.load(vulnDb, null, dbWarnings::add);
                } catch (java.io.IOException e) {
                    return usage("--vuln-db " + e.getMessage());
                }
                if (!quiet) {
                    dbWarnings.forEach(w -> err.println("posture: warning: " + TerminalText.escape(w)));
                }
            }
            List<java.security.PublicKey> keys = new ArrayList<>();
            for (Path k : verifyKeys) {
                try {
                    keys.add(dev.posture.image.signature.PublicKeys.read(k));
                } catch (java.io.IOException e) {
                    return usage("--verify-key " + e.getMessage());
                }
            }
            if (requireSignature && keys.isEmpty()) {
                return usage("--require-signature needs --verify-key PEM");
            }
            imageOptions = new dev.posture.image.ImageOptions(imageArgs.sources(parent.env, parent.in,
                    paths.contains("-")), dev.posture.image.ImageLimits.DEFAULT, maxImageAge, db, keys,
                    requireSignature);
        } catch (ImageArgs.UsageException e) {
            return usage(e.getMessage());
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path ignore = null;
        boolean defaultIgnore = false;
        if (noIgnoreFile) {
            if (ignoreFile != null) {
                return usage("--ignore-file and --no-ignore-file exclude each other");
            }
        } else if (ignoreFile != null) {
            ignore = ignoreFile;
        } else {
            Path d = parent.workDir.equals(Path.of("").toAbsolutePath())
                    ? Path.of(IgnoreFile.DEFAULT_NAME) : parent.workDir.resolve(IgnoreFile.DEFAULT_NAME);
            if (Files.isRegularFile(d)) {
                ignore = d;
                defaultIgnore = true;
            }
        }

        // report files: never through a symbolic link, never over a file the scan reads
        List<Path> inputs = new ArrayList<>();
        List<Path> reportPaths = new ArrayList<>();
        for (String p : paths) {
            try {
                if (!p.isEmpty() && !p.equals("-")) {
                    inputs.add(Path.of(p));
                }
            } catch (InvalidPathException e) {
                // not a file anything could be written to; the scan reports it as a failed target
            }
        }
        if (ignore != null) {
            inputs.add(ignore);
        }
        try {
            for (ReportSpec s : specs) {
                if (s.path() == null) {
                    continue;
                }
                Path rp = Path.of(s.path());
                String why = ReportFile.refusal(rp, inputs);
                if (why != null) {
                    return usage(why);
                }
                for (Path earlier : reportPaths) {
                    if (earlier.toAbsolutePath().normalize().equals(rp.toAbsolutePath().normalize())
                            || ReportFile.sameFile(earlier, rp)) {
                        return usage("two reports would be written to " + rp);
                    }
                }
                reportPaths.add(rp);
            }
        } catch (InvalidPathException e) {
            return usage("invalid path: " + e.getMessage());
        }

        List<IgnoreEntry> ignores = List.of();
        Baseline base = null;
        try {
            if (ignore != null) {
                if (!Files.isRegularFile(ignore)) {
                    return usage("--ignore-file: " + ignore + ": no such file");
                }
                ignores = IgnoreFile.load(ignore);
            }
            if (baseline != null) {
                base = Baseline.read(baseline);
            }
        } catch (InputException | IOException e) {
            return usage(e.getMessage());
        }
        if (defaultIgnore && !quiet) {
            err.println("posture: " + ignores.size() + " suppression(s) from " + TerminalText.escape(ignore.toString())
                    + " (--no-ignore-file applies none, --ignore-file FILE others)");
        }

        // policies are configuration: read and compiled before anything is scanned
        dev.posture.policy.custom.CustomPolicies custom;
        try {
            custom = policyArgs.load(new dev.posture.policy.EmbeddedRegoEngine());
        } catch (dev.posture.policy.PolicyException e) {
            return usage("--policy: " + e.getMessage());
        }
        dev.posture.policy.opa.OpaOptions opaOptions;
        try {
            opaOptions = opaArgs.options();
        } catch (ImageArgs.UsageException e) {
            return usage(e.getMessage());
        }
        dev.posture.policy.opa.OpaPolicyEngine opa = null;
        if (opaOptions != null) {
            try {
                opa = OpaArgs.start(opaOptions, custom.modules()); // the policy engine cannot start: like bad configuration
            } catch (dev.posture.policy.PolicyException e) {
                for (String line : ("posture scan: " + e.getMessage()).split("\n")) {
                    err.println(TerminalText.escape(line)); // one line per OPA error location
                }
                return ExitCodes.USAGE;
            }
        }

        // ---- scan
        boolean showProgress = !quiet && !noProgress && term.stderrTty() && !term.ci()
                && (paths.size() + images.size() > 1 || paths.stream().anyMatch(p -> Files.isDirectory(Path.of(p))));
        ProgressBar bar = showProgress ? new ProgressBar(err) : null;
        ProgressListener progress = bar == null ? ProgressListener.NONE : bar;
        Scanner scanner = new Scanner(Analyzers.create(live ? awsOptions() : null, imageOptions, Clock.systemUTC(), opa, custom), parallel, Clock.systemUTC(),
                progress, Version.get());
        ScanResult result;
        try (dev.posture.policy.opa.OpaPolicyEngine cleanup = opa) {
            result = scanner.scan(new ScanRequest(paths, images, live, parent.in,
                    parent.workDir.toString(), part), new Triage(ignores, base, today, !noIgnoreFile));
        }
        if (bar != null) {
            bar.clear();
        }
        if (!quiet && vulnDb == null && result.targets().stream().anyMatch(t ->
                t.type() == dev.posture.model.TargetType.IMAGE && t.status() == dev.posture.model.TargetStatus.SCANNED)) {
            // said once, and in every report's supply-chain theme: nothing was matched, which is not "no vulnerabilities"
            err.println("posture: note: the images' packages were not matched against known vulnerabilities"
                    + " (give --vuln-db DIR; 'posture db update' fetches one)");
        }
        if (!quiet) {
            for (String w : result.warnings()) {
                err.println("posture: warning: " + TerminalText.escape(w));
            }
        }

        // ---- reports
        // a file met while walking a directory is an input too: a report does not replace it either
        for (ReportSpec s : specs) {
            if (s.path() != null) {
                String input = scannedFile(Path.of(s.path()), result);
                if (input != null) {
                    return usage(ReportFile.inputRefusal(s.path(), input));
                }
            }
        }
        return writeAndGate(specs, result, parent, !noColor && !term.noColor() && term.stdoutTty(), verbose, quiet,
                term.columns(), threshold, failOnNew, "scan");
    }

    /** True when some unsuppressed finding (new only, with --fail-on-new) is at or above the threshold. */
    /**
     * Writes the reports, then the exit code (scan and report merge alike): 3 when a report could not be written or
     * a target failed (incomplete wins over findings), 1 when findings reach the gate, else 0.
     *
     * @param what "scan" or "merged scan", for the incomplete line
     */
    static int writeAndGate(List<ReportSpec> specs, ScanResult result, PostureCommand parent, boolean color,
                            boolean verbose, boolean quiet, int columns, Severity threshold, boolean failOnNew,
                            String what) {
        if (!Reports.writeAll(specs, result, parent, color, verbose, quiet, columns)) {
            return ExitCodes.INCOMPLETE;
        }
        if (result.incomplete()) {
            if (!quiet) {
                long failed = result.targets().stream().filter(t -> t.status() == TargetStatus.FAILED).count();
                parent.err.println("posture: " + what + " incomplete: " + failed + " target(s) failed");
            }
            return ExitCodes.INCOMPLETE;
        }
        return gate(result.findings(), threshold, failOnNew) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    static boolean gate(List<Finding> findings, Severity threshold, boolean newOnly) {
        if (threshold == null && !newOnly) {
            return false;
        }
        Severity t = threshold == null ? Severity.INFO : threshold;
        for (Finding f : findings) {
            if (f.suppressed() || !f.rule().severity().atLeast(t)) {
                continue;
            }
            if (newOnly && f.baselineState() != BaselineState.NEW) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** The name of a file target of the scan that is the same file as {@code report}, or null. */
    private static String scannedFile(Path report, ScanResult result) {
        if (ReportFile.isDevice(report) || !Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        for (Target t : result.targets()) {
            if (t.status() == TargetStatus.SKIPPED || t.name().isEmpty() || t.name().equals("-")) {
                continue;
            }
            try {
                if (ReportFile.sameFile(report, Path.of(t.name()))) {
                    return t.name();
                }
            } catch (InvalidPathException e) {
                // not a file name (an image reference, an ARN)
            }
        }
        return null;
    }

    private dev.posture.serverless.aws.AwsOptions awsOptions() {
        return dev.posture.serverless.aws.AwsOptions.of(aws.regions, aws.profile, aws.functions);
    }

    private int usage(String message) {
        parent.err.println("posture scan: " + TerminalText.escape(message));
        parent.err.println("Try 'posture scan --help' for more information.");
        return ExitCodes.USAGE;
    }
}
