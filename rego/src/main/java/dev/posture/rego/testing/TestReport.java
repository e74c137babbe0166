package dev.posture.rego.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Location;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Results of a test run; {@link #format(boolean)} prints OPA-like text ending in {@code N passed, N failed}.
 * {@code warnings} lists what loading skipped (symbolic-link loops, broken links), for the caller to print.
 */
public record TestReport(List<TestResult> results, List<String> warnings) {

    public TestReport {
        warnings = List.copyOf(warnings);
    }

    public TestReport(List<TestResult> results) {
        this(results, List.of());
    }

    /** Status of one test. */
    public enum Status { PASS, FAIL, SKIP, ERROR }

    /** One test: package path, rule name, rule location, status, duration, error (or null) and print output. */
    public record TestResult(String pkg, String name, Location location, Status status, long durationNanos,
            RegoError cause, List<String> output, List<TestCases.Case> cases) {
        public TestResult(String pkg, String name, Location location, Status status, long durationNanos, RegoError cause,
                List<String> output) {
            this(pkg, name, location, status, durationNanos, cause, output, List.of());
        }

        public String fullName() {
            return "data." + pkg + "." + name;
        }

        public String file() {
            return location == null ? "" : location.file();
        }

        /** The error as OPA prints it ({@code file:row: code: message}), or null. */
        public String error() {
            return cause == null ? null : cause.getMessage();
        }
    }

    /** Passed tests; a parameterized test counts its passed cases, as opa test does. */
    public long passed() {
        return results.stream().mapToLong(r -> r.status() == Status.ERROR || r.cases().isEmpty()
                ? (r.status() == Status.PASS ? 1 : 0)
                : r.cases().stream().filter(c -> !c.fail()).count()).sum();
    }

    /** Failed tests, errors included; a parameterized test counts its failed cases. */
    public long failed() {
        return results.stream().mapToLong(r -> r.status() == Status.ERROR ? 1
                : r.cases().isEmpty() ? (r.status() == Status.FAIL ? 1 : 0)
                : r.cases().stream().filter(TestCases.Case::fail).count()).sum();
    }

    public long skipped() {
        return results.stream().filter(r -> r.status() == Status.SKIP).count();
    }

    public boolean ok() {
        return failed() == 0;
    }

    public String summaryLine() {
        return passed() + " passed, " + failed() + " failed" + (skipped() > 0 ? ", " + skipped() + " skipped" : "");
    }

    /** Text report: failures (all tests when verbose, with durations), then the summary line. */
    public String format(boolean verbose) {
        StringBuilder sb = new StringBuilder();
        String file = null;
        for (TestResult r : results) {
            boolean show = verbose || r.status() == Status.FAIL || r.status() == Status.ERROR;
            if (!show) {
                continue;
            }
            if (r.pkg().isEmpty() && r.cause() != null) {
                // the policies did not load or compile: no test ran; OPA's wording
                sb.append("1 error occurred: ").append(r.error()).append('\n');
                continue;
            }
            if (!r.file().equals(file)) {
                file = r.file();
                sb.append(file).append(":\n");
            }
            sb.append(r.fullName()).append(": ").append(r.status());
            if (r.status() != Status.SKIP) {
                sb.append(" (").append(duration(r.durationNanos())).append(')');
            }
            sb.append('\n');
            appendCases(sb, r.cases(), verbose);
            if (r.error() != null) {
                sb.append("  ").append(r.error()).append('\n');
            }
            if (verbose || r.status() != Status.PASS) {
                for (String o : r.output()) {
                    sb.append("  ").append(o).append('\n');
                }
            }
        }
        if (sb.length() > 0) {
            sb.append("-".repeat(80)).append('\n');
        }
        return sb.append(summaryLine()).append('\n').toString();
    }

    /** Cases as an indented tree (a group fails when one of its cases does); only failing ones unless verbose. */
    private static void appendCases(StringBuilder sb, List<TestCases.Case> cases, boolean verbose) {
        List<String> prev = List.of();
        for (TestCases.Case c : cases) {
            List<String> p = c.path();
            int common = 0;
            while (common < Math.min(prev.size(), p.size()) - 1 && prev.get(common).equals(p.get(common))) {
                common++;
            }
            for (int d = common; d < p.size(); d++) {
                boolean fail = groupFails(cases, p.subList(0, d + 1));
                if (verbose || fail) {
                    sb.append("  ".repeat(d + 1)).append(p.get(d)).append(": ").append(fail ? "FAIL" : "PASS").append('\n');
                }
            }
            prev = p;
        }
    }

    private static boolean groupFails(List<TestCases.Case> cases, List<String> prefix) {
        return cases.stream().anyMatch(x -> x.fail() && x.path().size() >= prefix.size()
                && x.path().subList(0, prefix.size()).equals(prefix));
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return String.format("%.3fµs", nanos / 1e3).replace(".000", "");
        }
        return String.format("%.3fms", nanos / 1e6);
    }

    /**
     * JSON array of results in {@code opa test --format json}'s shape: {@code location} {file,row,col}, {@code package},
     * {@code name}, {@code fail}/{@code skip} when set, {@code error} {code,message,location}, {@code duration} in
     * nanoseconds, and {@code output} (what print wrote) base64-encoded as OPA's byte slice is.
     */
    public String formatJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode a = f.arrayNode();
        for (TestResult r : results) {
            var o = a.addObject();
            location(o.putObject("location"), r.location());
            o.put("package", "data." + r.pkg());
            o.put("name", r.name());
            if (r.status() == Status.FAIL) {
                o.put("fail", true);
            }
            if (r.cause() != null) {
                var e = o.putObject("error");
                e.put("code", r.cause().code());
                e.put("message", r.cause().detail());
                if (r.cause().location() != null) {
                    location(e.putObject("location"), r.cause().location());
                }
            }
            if (r.status() == Status.SKIP) {
                o.put("skip", true);
            }
            o.put("duration", r.durationNanos());
            if (!r.cases().isEmpty()) {
                subResults(o.putObject("sub_results"), r.cases(), 0);
            }
            if (!r.output().isEmpty()) {
                String text = String.join("\n", r.output()) + "\n";
                o.put("output", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return a.toPrettyString();
    }

    /** OPA's {@code sub_results}: case name to {name, fail (when failed), sub_results (for nested cases)}, sorted. */
    private static void subResults(com.fasterxml.jackson.databind.node.ObjectNode out, List<TestCases.Case> cases, int depth) {
        java.util.TreeMap<String, List<TestCases.Case>> byKey = new java.util.TreeMap<>();
        for (TestCases.Case c : cases) {
            byKey.computeIfAbsent(c.path().get(depth), k -> new java.util.ArrayList<>()).add(c);
        }
        byKey.forEach((key, group) -> {
            var node = out.putObject(key);
            node.put("name", key);
            if (group.stream().anyMatch(TestCases.Case::fail)) {
                node.put("fail", true);
            }
            List<TestCases.Case> deeper = group.stream().filter(c -> c.path().size() > depth + 1).toList();
            if (!deeper.isEmpty()) {
                subResults(node.putObject("sub_results"), deeper, depth + 1);
            }
        });
    }

    private static void location(com.fasterxml.jackson.databind.node.ObjectNode o, Location loc) {
        o.put("file", loc == null ? "" : loc.file());
        o.put("row", loc == null ? 0 : loc.row());
        o.put("col", loc == null ? 0 : loc.col());
    }
}
