package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.rego.EvalRunner;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.RegoError;
import dev.posture.rego.conformance.ConformanceReport;
import dev.posture.rego.conformance.ConformanceRunner;
import dev.posture.rego.testing.TestOptions;
import dev.posture.rego.testing.TestReport;
import dev.posture.rego.testing.TestRunner;
import dev.posture.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code posture policy …}: the embedded Rego engine, OPA-style. */
@Command(name = "policy", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Evaluate and test Rego policies with the embedded engine (OPA 1.x semantics, no OPA needed).",
        subcommands = {PolicyCommand.Eval.class, PolicyCommand.Test.class, PolicyCommand.Conformance.class,
                PolicyBundleCommand.class},
        footer = {"", "Examples:",
                "  posture policy eval -d policies/ -i pod.json 'data.kubernetes.deny'",
                "  posture policy test policies/",
                "  posture policy conformance ../opa/v1/test/cases/testdata/v1"})
final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit codes of the policy commands (like opa's): 0 ok, 1 failures or errors, 2 usage. */
    @Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Evaluate a Rego query, like 'opa eval'. Prints OPA's --format json result shape",
                    "({\"result\":[{\"expressions\":[…],\"bindings\":{…}}]}, or {} when undefined)."},
            footer = {"", "Examples:",
                    "  posture policy eval -d policy.rego -i input.json 'data.example.allow'",
                    "  posture policy eval -d gatekeeper/ --v0-compatible -i review.yaml 'data.k8srequiredlabels.violation'",
                    "  posture policy eval -d p.rego -i big.json --bench 1000 'data.p.deny'",
                    "", "Exit codes: 0 evaluated (also when undefined), 1 policy or evaluation error, 2 usage error."})
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-d", "--data"}, paramLabel = "FILE|DIR",
                description = "Rego modules and data files (as with opa, every *.json/*.yaml in a directory is data"
                        + " at its directory path). Repeatable.")
        List<Path> data = new ArrayList<>();

        @Option(names = "--ignore", paramLabel = "GLOB", split = ",",
                description = "Skip files and directories whose name matches GLOB while loading (as opa's --ignore,"
                        + " e.g. '*.yaml'). Repeatable.")
        List<String> ignore = new ArrayList<>();

        @Option(names = {"-i", "--input"}, paramLabel = "INPUT", description = "Input document (JSON or YAML; '-' for stdin).")
        String input;

        @Option(names = "--v0-compatible", description = "Parse modules as Rego v0 unless they import rego.v1.")
        boolean v0;

        @Option(names = {"-f", "--format"}, paramLabel = "json|pretty", description = "Output format (default: json).")
        String format = "json";

        @Option(names = "--strict-builtin-errors",
                description = "A builtin error fails the query (default: the expression is undefined, as in OPA).")
        boolean strict;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = GoDuration.Converter.class,
                description = "Time limit of the evaluation, e.g. 5s (default: none).")
        java.time.Duration timeout;

        @Mixin
        MaxMemoryOption maxMemory;

        @Option(names = "--bench", paramLabel = "N",
                description = "Evaluate N times after warm-up; print median and p90 of one evaluation to stderr.")
        Integer bench;

        @Parameters(paramLabel = "QUERY", description = "A Rego query, e.g. data.pkg.deny")
        String query;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!format.equals("json") && !format.equals("pretty")) {
                err.println("posture policy eval: --format must be json or pretty");
                return ExitCodes.USAGE;
            }
            for (Path p : data) {
                if (!Files.exists(p)) {
                    err.println("posture policy eval: " + TerminalText.escape(p.toString()) + ": no such file or directory");
                    return ExitCodes.USAGE;
                }
            }
            Long budget = maxMemory.bytes;
            java.time.Duration limit = timeout;
            JsonNode in;
            try {
                in = input == null ? null : readInput(input, ((PostureCommand) spec.root().userObject()));
            } catch (InputException e) {
                err.println("posture policy eval: " + TerminalText.escape(e.getMessage()));
                return ExitCodes.USAGE;
            }
            try {
                PreparedQuery q = EvalRunner.prepare(data, ignore, query, v0, strict,
                        w -> err.println("posture policy eval: warning: " + w));
                PreparedQuery.EvalOptions options = new PreparedQuery.EvalOptions();
                options.maxMemory = budget;
                options.timeout = limit;
                JsonNode result = q.eval(in == null ? null : dev.posture.rego.value.Json.fromJson(in), options).toJson();
                out.println(format.equals("pretty") ? EvalRunner.pretty(result) : pretty(result));
                if (bench != null) {
                    err.println("posture policy eval --bench: " + EvalRunner.bench(q, in, Math.max(1, bench)));
                }
                return ExitCodes.OK;
            } catch (RegoError e) {
                out.println(pretty(errorJson(e)));
                err.println(TerminalText.escape(e.getMessage()));
                return 1;
            }
        }

        private static JsonNode readInput(String input, PostureCommand root) throws InputException {
            List<ParsedDocument> docs;
            if (input.equals("-")) {
                try {
                    // bounded: DocumentParser rejects anything over the limit with a clear message
                    docs = DocumentParser.parseData("stdin", root.in.readNBytes((int) DocumentParser.MAX_FILE_BYTES + 1));
                } catch (IOException e) {
                    throw new InputException("stdin: " + e.getMessage(), e);
                }
            } else {
                Path p = Path.of(input);
                if (!Files.isRegularFile(p)) {
                    throw new InputException(input + ": no such file");
                }
                try {
                    if (Files.size(p) > DocumentParser.MAX_FILE_BYTES) {
                        throw new InputException(input + ": file is " + Files.size(p) + " bytes, over the "
                                + DocumentParser.MAX_FILE_BYTES + "-byte limit");
                    }
                    docs = DocumentParser.parseData(input, Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new InputException(input + ": " + e.getMessage(), e);
                }
            }
            if (docs.size() == 1) {
                return docs.get(0).root();
            }
            ArrayNode all = new ObjectMapper().createArrayNode();
            docs.forEach(d -> all.add(d.root()));
            return all;
        }

        /** OPA's error shape: {"errors":[{"code":…,"message":…,"location":{"file":…,"row":…,"col":…}}]}. */
        static JsonNode errorJson(RegoError e) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            ObjectNode one = root.putArray("errors").addObject();
            one.put("message", e.detail());
            one.put("code", e.code());
            if (e.location() != null) {
                ObjectNode loc = one.putObject("location");
                loc.put("file", e.location().file());
                loc.put("row", e.location().row());
                loc.put("col", e.location().col());
            }
            return root;
        }

        static String pretty(JsonNode n) {
            try {
                // opa's layout: two-space indent, "key": value
                var indent = new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n");
                var printer = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                        .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                        .withObjectIndenter(indent).withArrayIndenter(indent);
                return new ObjectMapper().writer(printer).writeValueAsString(n);
            } catch (IOException e) {
                return n.toString();
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Run Rego tests, like 'opa test': rules named test_* pass when true, todo_* tests (boolean rules) are skipped.",
                    "Ends with 'N passed, N failed' (and ', N skipped')."},
            footer = {"", "Examples:",
                    "  posture policy test policies/",
                    "  posture policy test -v --run 'privileged' policies/kubernetes",
                    "", "Exit codes: 0 all passed, 1 a test failed or errored, 2 usage error."})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-v", "--verbose"}, description = "List every test with its result and duration.")
        boolean verbose;

        @Option(names = {"-r", "--run"}, paramLabel = "REGEX", description = "Only tests whose name matches REGEX.")
        String run;

        @Option(names = "--v0-compatible", description = "Parse modules as Rego v0 unless they import rego.v1.")
        boolean v0;

        @Option(names = "--ignore", paramLabel = "GLOB", split = ",",
                description = "Skip files and directories whose name matches GLOB while loading (as opa's --ignore,"
                        + " e.g. '*.yaml'). Repeatable.")
        List<String> ignore = new ArrayList<>();

        @Option(names = {"-f", "--format"}, paramLabel = "pretty|json", description = "Output format (default: pretty).")
        String format = "pretty";

        @Option(names = "--explain", paramLabel = "notes|fails|full|debug",
                description = "As opa's --explain, turns on the verbose listing (traces are not printed).")
        String explain;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = GoDuration.Converter.class,
                description = "Time limit of one test, e.g. 5s, 1m30s (default 30s).")
        java.time.Duration timeout;

        @Mixin
        MaxMemoryOption maxMemory;

        @Option(names = "--fail-on-empty", description = "Exit 1 when no test ran (as opa test --fail-on-empty).")
        boolean failOnEmpty;

        @Option(names = {"-z", "--exit-zero-on-skipped"},
                description = "Accepted as in opa test; skipped tests never fail the run here.")
        boolean exitZeroOnSkipped;

        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories with *.rego (and data files).")
        List<Path> paths = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Path p : paths) {
                if (!Files.exists(p)) {
                    spec.commandLine().getErr().println("posture policy test: " + p + ": no such file or directory");
                    return ExitCodes.USAGE;
                }
            }
            if (explain != null && !java.util.Set.of("notes", "fails", "full", "debug").contains(explain)) {
                spec.commandLine().getErr().println("posture policy test: --explain must be notes, fails, full or debug");
                return ExitCodes.USAGE;
            }
            java.time.Duration limit = timeout;
            Long budget = maxMemory.bytes;
            TestOptions opts = TestOptions.of(run, v0).withIgnore(ignore);
            if (budget != null) {
                opts = opts.withConfigure(b -> b.maxMemory(budget));
            }
            if (limit != null) {
                opts = new TestOptions(opts.run(), opts.version(), limit, opts.configure(), opts.ignore());
            }
            // Gatekeeper ConstraintTemplates: their Rego is loaded as modules (so _test.rego files beside them can
            // test the template's package), their files are not data
            try {
                dev.posture.policy.custom.CustomPolicyLoader.Templates gk =
                        dev.posture.policy.custom.CustomPolicyLoader.templates(paths);
                if (!gk.modules().isEmpty() || !gk.files().isEmpty()) {
                    List<String> skip = new ArrayList<>(opts.ignore());
                    gk.files().forEach(f -> skip.add(f.getFileName().toString()));
                    java.util.function.Consumer<dev.posture.rego.PolicySet.Builder> before = opts.configure();
                    opts = opts.withIgnore(skip).withConfigure(b -> {
                        if (before != null) {
                            before.accept(b);
                        }
                        for (dev.posture.policy.PolicyModule m : gk.modules()) {
                            b.module(m.name(), m.source(), m.v0() ? dev.posture.rego.RegoVersion.V0
                                    : dev.posture.rego.RegoVersion.V1);
                        }
                    });
                }
            } catch (dev.posture.policy.PolicyException e) {
                spec.commandLine().getErr().println("posture policy test: " + TerminalText.escape(e.getMessage()));
                return 1;
            }
            boolean listAll = verbose || explain != null;
            TestReport report;
            try {
                report = TestRunner.run(paths, opts);
            } catch (RegoError e) {
                // e.g. a data file that cannot be parsed: an error of the run, not an internal error
                spec.commandLine().getErr().println("posture policy test: " + TerminalText.escape(e.getMessage()));
                return 1;
            }
            report.warnings().forEach(w -> spec.commandLine().getErr().println("posture policy test: warning: " + w));
            out.println(format.equals("json") ? report.formatJson() : report.format(listAll));
            out.flush();
            if (failOnEmpty && report.results().isEmpty()) {
                spec.commandLine().getErr().println("no tests were run");
                return 1;
            }
            return report.ok() ? ExitCodes.OK : 1;
        }
    }

    @Command(name = "conformance", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Run OPA-format YAML conformance cases (note, query, modules, data, input, want_result,",
                    "want_error_code, want_error, sort_bindings, strict_error). Ends with 'N passed, N failed'."},
            footer = {"", "Example:", "  posture policy conformance -v ../shared/opa-conformance"})
    static final class Conformance implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-v", "--verbose"}, description = "List each failure with its note and reason.")
        boolean verbose;

        @Parameters(paramLabel = "DIR", description = "Folder of *.yaml case files (searched recursively).")
        Path dir;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println("posture policy conformance: " + dir + ": not a directory");
                return ExitCodes.USAGE;
            }
            ConformanceReport report = ConformanceRunner.run(dir);
            spec.commandLine().getOut().println(report.format(verbose));
            return report.failed() == 0 ? ExitCodes.OK : 1;
        }
    }
}
