package dev.posture.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.QueryResult;
import dev.posture.rego.RegoError;
import dev.posture.rego.RegoVersion;
import dev.posture.rego.parser.Parser;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Terms;
import dev.posture.rego.value.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs OPA-format YAML conformance cases ({@code cases: [{note, query, modules, data, input, input_term,
 * want_result, want_defined, want_error_code, want_error, sort_bindings, strict_error, ignore_generated_vars, skip}]})
 * found recursively under a directory, as OPA's topdown harness does. Modules are named {@code test-0.rego},
 * {@code test-1.rego}, ... The Rego version follows the folder: files under a {@code v0} folder (OPA's
 * {@code testdata/v0}) or a folder ending in {@code -v0} are parsed as v0, files under a {@code v1} folder as v1; elsewhere a
 * case whose modules do not parse as v1 but do as v0 is run in v0 mode.
 */
public final class ConformanceRunner {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConformanceRunner() {
    }

    public static ConformanceReport run(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        int passed = 0;
        int skipped = 0;
        List<ConformanceReport.Failure> failures = new ArrayList<>();
        for (Path f : files) {
            JsonNode doc;
            try {
                doc = YAML.readTree(f.toFile());
            } catch (IOException e) {
                failures.add(new ConformanceReport.Failure(dir.relativize(f).toString(), "(file)", "invalid YAML: " + e.getMessage()));
                continue;
            }
            if (doc == null || !doc.has("cases")) {
                continue;
            }
            RegoVersion version = versionOf(dir, f);
            for (JsonNode c : doc.get("cases")) {
                String note = c.path("note").asText("(no note)");
                if (c.path("skip").asBoolean(false)) {
                    skipped++;
                    continue;
                }
                String reason;
                try {
                    reason = runCase(c, version);
                } catch (RuntimeException | StackOverflowError e) {
                    reason = "unexpected exception: " + e;
                }
                if (reason == null) {
                    passed++;
                } else {
                    failures.add(new ConformanceReport.Failure(dir.relativize(f).toString(), note, reason));
                }
            }
        }
        return new ConformanceReport(passed, failures.size(), skipped, Collections.unmodifiableList(failures));
    }

    /**
     * The Rego version of a case file below {@code root}: the nearest folder between them named v0/v1 decides; the
     * root itself and its parent count too (a run started inside OPA's testdata/v0), folders above them do not.
     */
    static RegoVersion versionOf(Path root, Path file) {
        Path abs = root.toAbsolutePath().normalize();
        Path scope = abs.getParent() != null ? abs.getParent() : abs;
        Path rel = scope.relativize(file.toAbsolutePath().normalize());
        return versionOf(scope.getFileName() == null ? rel : Path.of(scope.getFileName().toString()).resolve(rel));
    }

    /** v0 or v1 from the nearest folder named {@code v0}/{@code *-v0} or {@code v1}; AUTO (v1, else v0) otherwise. */
    static RegoVersion versionOf(Path file) {
        Path parent = file.getParent();
        for (int i = parent == null ? -1 : parent.getNameCount() - 1; i >= 0; i--) {
            String n = parent.getName(i).toString();
            if (n.equals("v0") || n.endsWith("-v0")) {
                return RegoVersion.V0;
            }
            if (n.equals("v1")) {
                return RegoVersion.V1;
            }
        }
        return RegoVersion.AUTO;
    }

    /** Runs one case (v1, falling back to v0); returns null on success or the failure reason. */
    public static String runCase(JsonNode c) {
        return runCase(c, RegoVersion.AUTO);
    }

    /** Runs one case with the given Rego version; returns null on success or the failure reason. */
    public static String runCase(JsonNode c, RegoVersion version) {
        String wantCode = c.hasNonNull("want_error_code") ? c.get("want_error_code").asText() : null;
        String wantErr = c.hasNonNull("want_error") ? c.get("want_error").asText() : null;
        boolean strict = c.path("strict_error").asBoolean(false);
        if (wantCode == null && wantErr == null && !c.hasNonNull("want_result") && !c.hasNonNull("want_defined")) {
            return "invalid case: expected one of want_result, want_defined, want_error_code, want_error";
        }
        QueryResult res;
        try {
            PolicySet ps = build(c, version, strict);
            Value input = null;
            if (c.hasNonNull("input_term")) {
                input = Terms.toValue(Parser.parseTerm(c.get("input_term").asText()));
            } else if (c.has("input")) {
                input = Json.fromJson(c.get("input"));
            }
            PreparedQuery q = ps.prepare(c.path("query").asText());
            res = q.eval(input, null);
        } catch (RegoError e) {
            if (wantCode == null && wantErr == null) {
                return "unexpected error: " + e.getMessage();
            }
            if (wantCode != null && !wantCode.equals(e.code())) {
                return "want error code " + wantCode + " but got " + e.getMessage();
            }
            if (wantErr != null && !e.getMessage().contains(wantErr)) {
                return "want error containing '" + wantErr + "' but got " + e.getMessage();
            }
            return null;
        }
        if (wantCode != null || wantErr != null) {
            return "want error " + (wantCode != null ? wantCode : "") + " " + (wantErr != null ? wantErr : "") + " but got result "
                    + render(res);
        }
        if (c.hasNonNull("want_defined") && c.get("want_defined").asBoolean() == res.rows().isEmpty()) {
            return "want " + (res.rows().isEmpty() ? "defined" : "undefined") + " but got " + render(res);
        }
        if (!c.hasNonNull("want_result")) {
            return null;
        }
        boolean sortB = c.path("sort_bindings").asBoolean(false);
        boolean dropGenerated = c.path("ignore_generated_vars").asBoolean(false);
        List<Value> want = new ArrayList<>();
        for (JsonNode row : c.get("want_result")) {
            want.add(normalizeRow(Json.fromJson(row), sortB));
        }
        List<Value> got = new ArrayList<>();
        for (QueryResult.Row r : res.rows()) {
            java.util.LinkedHashMap<Value, Value> m = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Value> e : r.bindings().entrySet()) {
                if (dropGenerated && e.getKey().startsWith("__")) {
                    continue;
                }
                m.put(Value.str(e.getKey()), Json.fromJson(Json.toJson(e.getValue())));
            }
            got.add(normalizeRow(Value.obj(m), sortB));
        }
        // OPA compares the expected and actual rows as sets
        if (!Value.set(want).equals(Value.set(got))) {
            return "want " + Json.toJson(Value.arr(want)) + " but got " + Json.toJson(Value.arr(got));
        }
        return null;
    }

    private static Value normalizeRow(Value row, boolean sortBindings) {
        if (!sortBindings || !(row instanceof Value.Obj o)) {
            return row;
        }
        java.util.LinkedHashMap<Value, Value> m = new java.util.LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : o.map().entrySet()) {
            Value v = e.getValue();
            if (v instanceof Value.Arr a) {
                List<Value> l = new ArrayList<>(a.items());
                Collections.sort(l);
                v = Value.arr(l);
            }
            m.put(e.getKey(), v);
        }
        return Value.obj(m);
    }

    private static String render(QueryResult r) {
        return r.toJson().toString();
    }

    private static PolicySet build(JsonNode c, RegoVersion v, boolean strict) {
        if (v != RegoVersion.AUTO) {
            return builder(c, v, strict).build();
        }
        try {
            return builder(c, RegoVersion.V1, strict).build();
        } catch (RegoError e) {
            if (!e.code().equals("rego_parse_error")) {
                throw e;
            }
            try {
                return builder(c, RegoVersion.V0, strict).build();
            } catch (RegoError e2) {
                if (e2.code().equals("rego_parse_error")) {
                    throw e;
                }
                throw e2;
            }
        }
    }

    private static PolicySet.Builder builder(JsonNode c, RegoVersion v, boolean strict) {
        PolicySet.Builder b = PolicySet.builder().defaultVersion(v).strictBuiltinErrors(strict).maxSteps(50_000_000L)
                .timeout(Duration.ofSeconds(20)).printSink(s -> { });
        int i = 0;
        for (JsonNode m : c.path("modules")) {
            b.module("test-" + (i++) + ".rego", m.asText());
        }
        if (c.hasNonNull("data")) {
            b.data(c.get("data"));
        }
        return b;
    }
}
