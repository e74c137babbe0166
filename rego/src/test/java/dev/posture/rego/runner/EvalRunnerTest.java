package dev.posture.rego.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.EvalRunner;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.value.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalRunnerTest {
    @TempDir
    Path dir;

    @Test
    void evalLoadsPoliciesAndDataFiles() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\nallow if input.user == data.app.admin\n");
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app/data.json"), "{\"admin\": \"alice\"}");
        JsonNode out = EvalRunner.eval(List.of(dir), Json.MAPPER.readTree("{\"user\": \"alice\"}"), "data.app.allow", false);
        assertThat(out.toString()).isEqualTo(
                "{\"result\":[{\"expressions\":[{\"value\":true,\"text\":\"data.app.allow\",\"location\":{\"row\":1,\"col\":1}}]}]}");
        assertThat(EvalRunner.eval(List.of(dir), Json.MAPPER.readTree("{\"user\": \"bob\"}"), "data.app.allow", false).toString())
                .isEqualTo("{}");
        PreparedQuery q = EvalRunner.prepare(List.of(dir), "data.app.allow", false);
        EvalRunner.BenchResult b = EvalRunner.bench(q, Json.MAPPER.readTree("{\"user\": \"alice\"}"), 20);
        assertThat(b.iterations()).isEqualTo(20);
        assertThat(b.p90Nanos()).isGreaterThanOrEqualTo(b.medianNanos());
    }

    @Test
    void v0Flag() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\ndeny[msg] { msg := \"no\" }\n");
        assertThat(EvalRunner.eval(List.of(dir), null, "data.app.deny", true).toString()).contains("\"value\":[\"no\"]");
    }
}
