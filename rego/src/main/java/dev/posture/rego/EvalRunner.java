package dev.posture.rego;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code opa eval}-like helper: {@link #eval} returns OPA's {@code --format json} shape
 * ({@code {"result":[{"expressions":[{"value":..,"text":..,"location":{..}}],"bindings":{..}}]}}, or {@code {}} when
 * undefined); {@link #pretty} renders it like {@code --format pretty}; {@link #bench} times repeated evaluations.
 */
public final class EvalRunner {
    private EvalRunner() {
    }

    /** Loads policies/data from {@code dataPaths}, evaluates {@code query} with {@code input}. */
    public static JsonNode eval(List<Path> dataPaths, JsonNode input, String query, boolean v0) {
        return prepare(dataPaths, query, v0).eval(input).toJson();
    }

    /** Loads policies/data from {@code dataPaths} and prepares {@code query} (e.g. for {@link #bench}). */
    public static PreparedQuery prepare(List<Path> dataPaths, String query, boolean v0) {
        return prepare(dataPaths, query, v0, false);
    }

    /** As {@link #prepare(List, String, boolean)}; {@code strict} makes builtin errors fail the query (OPA's --strict-builtin-errors). */
    public static PreparedQuery prepare(List<Path> dataPaths, String query, boolean v0, boolean strict) {
        return prepare(dataPaths, List.of(), query, v0, strict);
    }

    /** As {@link #prepare(List, String, boolean, boolean)}, skipping names that match {@code ignore} globs (OPA's --ignore). */
    public static PreparedQuery prepare(List<Path> dataPaths, List<String> ignore, String query, boolean v0, boolean strict) {
        return prepare(dataPaths, ignore, query, v0, strict, w -> { });
    }

    /** As {@link #prepare(List, List, String, boolean, boolean)}; {@code warnings} receives what loading skipped (link loops, broken links). */
    public static PreparedQuery prepare(List<Path> dataPaths, List<String> ignore, String query, boolean v0, boolean strict,
            java.util.function.Consumer<String> warnings) {
        PolicyLoader.Loaded loaded = PolicyLoader.load(dataPaths, ignore);
        loaded.warnings().forEach(warnings);
        PolicySet ps = PolicyLoader.builder(loaded, v0 ? RegoVersion.V0 : RegoVersion.V1)
                .strictBuiltinErrors(strict)
                .trivyHelpers()
                .build();
        return ps.prepare(query);
    }

    /** Pretty rendering: the single value for a one-expression query without bindings, else the result rows. */
    public static String pretty(JsonNode result) {
        try {
            JsonNode rows = result.get("result");
            if (rows == null || rows.isEmpty()) {
                return "undefined";
            }
            if (rows.size() == 1 && rows.get(0).path("bindings").isMissingNode() && rows.get(0).get("expressions").size() == 1) {
                return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows.get(0).get("expressions").get(0).get("value"));
            }
            java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
            for (JsonNode r : rows) {
                JsonNode b = r.get("bindings");
                if (b != null) {
                    b.properties().forEach(e -> cols.add(e.getKey()));
                }
            }
            if (cols.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode r : rows) {
                    for (JsonNode e : r.get("expressions")) {
                        sb.append(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(e.get("value"))).append('\n');
                    }
                }
                return sb.toString().trim();
            }
            List<String> header = new java.util.ArrayList<>(cols);
            List<List<String>> cells = new java.util.ArrayList<>();
            for (JsonNode r : rows) {
                List<String> line = new java.util.ArrayList<>();
                for (String c : header) {
                    JsonNode v = r.path("bindings").get(c);
                    line.add(v == null ? "" : v.toString());
                }
                cells.add(line);
            }
            int[] w = new int[header.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = header.get(i).length();
                for (List<String> l : cells) {
                    w[i] = Math.max(w[i], l.get(i).length());
                }
            }
            StringBuilder sep = new StringBuilder("+");
            for (int x : w) {
                sep.append("-".repeat(x + 2)).append('+');
            }
            StringBuilder sb = new StringBuilder();
            sb.append(sep).append('\n').append(row(header, w)).append('\n').append(sep).append('\n');
            for (List<String> l : cells) {
                sb.append(row(l, w)).append('\n');
            }
            sb.append(sep);
            return sb.toString().trim();
        } catch (JsonProcessingException e) {
            return result.toString();
        }
    }

    private static String row(List<String> vals, int[] w) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < w.length; i++) {
            String v = vals.get(i);
            sb.append(' ').append(v).append(" ".repeat(w[i] - v.length())).append(" |");
        }
        return sb.toString();
    }

    /** Median and 90th percentile of one evaluation, in nanoseconds. */
    public record BenchResult(int iterations, long medianNanos, long p90Nanos) {
        @Override
        public String toString() {
            return String.format("%d iterations: median %.3f ms, p90 %.3f ms", iterations, medianNanos / 1e6, p90Nanos / 1e6);
        }
    }

    /** Evaluates {@code n} times after a warm-up and reports median and p90. */
    public static BenchResult bench(PreparedQuery q, JsonNode input, int n) {
        Value in = input == null ? null : Json.fromJson(input);
        int warm = Math.max(10, n / 5);
        for (int i = 0; i < warm; i++) {
            q.eval(in, null);
        }
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            q.eval(in, null);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return new BenchResult(n, t[n / 2], t[Math.min(n - 1, (int) Math.ceil(n * 0.9) - 1)]);
    }
}
