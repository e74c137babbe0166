package dev.posture.rego.testing;

import dev.posture.rego.PolicyLoader;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoError;
import dev.posture.rego.RegoVersion;
import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import dev.posture.rego.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code opa test}-like runner: loads {@code *.rego} and {@code data.json}/{@code data.yaml} files from the given
 * paths, runs every {@code test_*} rule (passes when defined and {@code true}), skips {@code todo_*} tests.
 * {@code TestRunner.run(paths, TestOptions.defaults()).format(verbose)}.
 */
public final class TestRunner {
    static final String TEST_PREFIX = "test_";
    /** opa's tester skips {@code todo_test_*}; see {@link #skipped}. */
    static final String SKIP_PREFIX = "todo_test_";

    /**
     * A skipped test: {@code todo_test_*} as in opa's tester, and any other {@code todo_*} rule written like a test
     * (a boolean rule, {@code todo_x if …}), as the issue defines skipping; a {@code todo_*} rule with another value
     * ({@code todo_items := […]}) is ordinary data, not a test.
     */
    static boolean skipped(Rule r) {
        String n = r.name();
        return n.startsWith(SKIP_PREFIX)
                || n.startsWith("todo_") && r.value instanceof Term.Scalar s && s.value.equals(Value.bool(true));
    }

    private TestRunner() {
    }

    public static TestReport run(List<Path> paths, TestOptions opts) {
        PolicyLoader.Loaded loaded = PolicyLoader.load(paths, opts.ignore());
        List<TestReport.TestResult> results = new ArrayList<>();
        PolicySet.Builder b = PolicySet.builder().data(loaded.data()).timeout(opts.timeout());
        List<String> sink = new ArrayList<>();
        b.printSink(sink::add);
        List<Value> recorded = new ArrayList<>();
        b.beforeCompile(mods -> {
            DuplicateTests.rename(mods);
            TestCases.inject(mods);
        });
        b.customBuiltin(TestCases.RECORDER, 1, (args, ctx) -> {
            recorded.add(args[0]);
            return Value.bool(true);
        });
        b.trivyHelpers(); // Trivy's checks call its helpers (result.new, sh.parse_commands, ...) without an import
        b.conftestHelpers(); // conftest's tests parse fixtures with parse_config(_file) (paths beside the test file)
        for (Map.Entry<String, String> e : loaded.modules().entrySet()) {
            b.module(e.getKey(), e.getValue(), opts.version() == null ? RegoVersion.AUTO : opts.version());
        }
        if (opts.configure() != null) {
            opts.configure().accept(b);
        }
        PolicySet ps;
        try {
            ps = b.build();
        } catch (RegoError err) {
            results.add(new TestReport.TestResult("", "compile", err.location(), TestReport.Status.ERROR, 0, err, List.of()));
            return new TestReport(results, loaded.warnings());
        }
        Pattern filter = opts.run() == null ? null : Pattern.compile(opts.run());
        // as opa test: modules in file-name order, whatever the order of the paths given
        List<Module> modules = new ArrayList<>(ps.modules());
        modules.sort(java.util.Comparator.comparing(mod -> mod.file));
        for (Module m : modules) {
            // one test per rule name (ref-head tests define several rules of one name); every todo_test_ rule is reported
            Set<String> names = new LinkedHashSet<>();
            List<Rule> tests = new ArrayList<>();
            for (Rule r : m.rules) {
                String n = r.name();
                if (r.kind != Rule.Kind.FUNCTION && (skipped(r) || n.startsWith(TEST_PREFIX) && names.add(n))) {
                    tests.add(r);
                }
            }
            String pkg = String.join(".", m.pkg);
            for (Rule test : tests) {
                String name = test.name();
                String full = "data." + pkg + "." + name;
                if (filter != null && !filter.matcher(full).find()) {
                    continue;
                }
                if (skipped(test)) {
                    results.add(new TestReport.TestResult(pkg, name, test.loc, TestReport.Status.SKIP, 0, null, List.of()));
                    continue;
                }
                sink.clear();
                recorded.clear();
                List<TestCases.Case> cases = List.of();
                long start = System.nanoTime();
                TestReport.Status st;
                RegoError error = null;
                try {
                    PreparedQuery q = ps.prepare(queryRef(m.pkg, name));
                    QueryResult r = q.eval((Value) null, null);
                    Value v = r.isEmpty() ? null : r.rows().get(0).expressions().get(0).value();
                    boolean pass;
                    if (v != null && TestCases.isParameterized(test)) {
                        cases = TestCases.cases(v, recorded);
                        pass = cases.stream().noneMatch(TestCases.Case::fail);
                    } else {
                        pass = Value.bool(true).equals(v);
                    }
                    st = pass ? TestReport.Status.PASS : TestReport.Status.FAIL;
                } catch (RegoError err) {
                    st = TestReport.Status.ERROR;
                    error = err;
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError err) {
                    // last resort (PreparedQuery.eval already turns these into errors): this test errs, the others run
                    st = TestReport.Status.ERROR;
                    error = new RegoError("eval_internal_error", test.loc, "internal error: " + err);
                }
                long dur = System.nanoTime() - start;
                results.add(new TestReport.TestResult(pkg, name, test.loc, st, dur, error, List.copyOf(sink), cases));
            }
        }
        return new TestReport(results, loaded.warnings());
    }

    /** {@code data["a"]["b"]["test_x#01"]}: renamed duplicates are not identifiers. */
    static String queryRef(List<String> pkg, String name) {
        StringBuilder sb = new StringBuilder("data");
        for (String seg : pkg) {
            sb.append('[').append(Value.str(seg)).append(']');
        }
        return sb.append('[').append(Value.str(name)).append(']').toString();
    }
}
