package dev.posture.rego.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/** Results of a test run; {@link #format(boolean)} prints OPA-like text ending in {@code N passed, N failed}. */
public record TestReport(List<TestResult> results) {

    /** Status of one test. */
    public enum Status { PASS, FAIL, SKIP, ERROR }

    /** One test: package path, rule name, file, status, duration, error text and print output. */
    public record TestResult(String pkg, String name, String file, Status status, long durationNanos, String error,
            List<String> output) {
        public String fullName() {
            return "data." + pkg + "." + name;
        }
    }

    public long passed() {
        return results.stream().filter(r -> r.status() == Status.PASS).count();
    }

    /** Failed tests, errors included. */
    public long failed() {
        return results.stream().filter(r -> r.status() == Status.FAIL || r.status() == Status.ERROR).count();
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
            if (!r.file().equals(file)) {
                file = r.file();
                sb.append(file).append(":\n");
            }
            sb.append(r.fullName()).append(": ").append(r.status());
            if (r.status() != Status.SKIP) {
                sb.append(" (").append(duration(r.durationNanos())).append(')');
            }
            sb.append('\n');
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

    static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return String.format("%.3fµs", nanos / 1e3).replace(".000", "");
        }
        return String.format("%.3fms", nanos / 1e6);
    }

    /** JSON array of results (like {@code opa test --format json}). */
    public String formatJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode a = f.arrayNode();
        for (TestResult r : results) {
            var o = a.addObject();
            o.put("location", r.file());
            o.put("package", "data." + r.pkg());
            o.put("name", r.name());
            o.put("duration", r.durationNanos());
            if (r.status() == Status.FAIL) {
                o.put("fail", true);
            }
            if (r.status() == Status.SKIP) {
                o.put("skip", true);
            }
            if (r.error() != null) {
                o.put("error", r.error());
            }
            if (!r.output().isEmpty()) {
                o.put("output", String.join("\n", r.output()));
            }
        }
        return a.toPrettyString();
    }
}
