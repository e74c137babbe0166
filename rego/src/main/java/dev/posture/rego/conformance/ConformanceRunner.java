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
 * want_result, want_error_code, want_error, sort_bindings, strict_error}]}) found recursively under a directory.
 * Modules are named {@code test-0.rego}, {@code test-1.rego}, ...; a case whose modules do not parse as Rego v1 but do
 * as v0 is run in v0 mode.
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
            for (JsonNode c : doc.get("cases")) {
                String note = c.path("note").asText("(no note)");
                String reason;
                try {
                    reason = runCase(c);
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
        return new ConformanceReport(passed, failures.size(), Collections.unmodifiableList(failures));
    }

    /** Runs one case; returns null on success or the failure reason. */
    public static String runCase(JsonNode c) {
        String wantCode = c.hasNonNull("want_error_code") ? c.get("want_error_code").asText() : null;
        String wantErr = c.hasNonNull("want_error") ? c.get("want_error").asText() : null;
        boolean strict = c.path("strict_error").asBoolean(false);
        QueryResult res;
        try {
            PolicySet ps = build(c, RegoVersion.V1, strict);
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
        if (!c.hasNonNull("want_result")) {
            return null;
        }
        boolean sortB = c.path("sort_bindings").asBoolean(false);
        List<Value> want = new ArrayList<>();
        for (JsonNode row : c.get("want_result")) {
            want.add(normalizeRow(Json.fromJson(row), sortB));
        }
        List<Value> got = new ArrayList<>();
        for (QueryResult.Row r : res.rows()) {
            java.util.LinkedHashMap<Value, Value> m = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Value> e : r.bindings().entrySet()) {
                m.put(Value.str(e.getKey()), Json.fromJson(Json.toJson(e.getValue())));
            }
            got.add(normalizeRow(Value.obj(m), sortB));
        }
        if (!Value.set(want).equals(Value.set(got)) || want.size() != got.size() && Value.set(got).size() != got.size()) {
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
        try {
            return builder(c, v, strict).build();
        } catch (RegoError e) {
            if (!e.code().equals("rego_parse_error") || v != RegoVersion.V1) {
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
