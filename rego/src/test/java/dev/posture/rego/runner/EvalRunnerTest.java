package dev.posture.rego.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void everyJsonAndYamlFileInADirectoryIsDataAtItsDirectoryPath() throws Exception {
        Files.createDirectories(dir.resolve("cfg/teams"));
        Files.writeString(dir.resolve("cfg/teams/owners.json"), "{\"owners\": [\"ann\"]}");
        Files.writeString(dir.resolve("cfg/teams/limits.yaml"), "limits:\n  max: 3\n");
        Files.writeString(dir.resolve("notes.txt"), "not data");
        JsonNode out = EvalRunner.eval(List.of(dir), null, "data.cfg.teams", false);
        assertThat(out.at("/result/0/expressions/0/value").toString()).isEqualTo("{\"limits\":{\"max\":3},\"owners\":[\"ann\"]}");
    }

    @Test
    void conflictingDataFilesAreAMergeError() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{\"x\": 1}");
        Files.writeString(dir.resolve("b.yaml"), "x: 2\n");
        assertThatThrownBy(() -> EvalRunner.eval(List.of(dir), null, "data.x", false)).hasMessageEndingWith("b.yaml: merge error");
        Files.delete(dir.resolve("b.yaml"));
        Files.writeString(dir.resolve("c.json"), "[1]");
        assertThatThrownBy(() -> EvalRunner.eval(List.of(dir), null, "data.x", false)).hasMessageEndingWith("c.json: bad document type");
    }

    @Test
    void ignoredNamesAreNotLoaded() throws Exception {
        Files.createDirectories(dir.resolve("checks/net"));
        Files.createDirectories(dir.resolve("fixtures"));
        Files.writeString(dir.resolve("checks/net/p.rego"), "package net\nopen := data.fixtures.port\n");
        Files.writeString(dir.resolve("checks/net/good.yaml"), "case: [1]\n");
        Files.writeString(dir.resolve("checks/net/bad.yaml"), "case: [2]\n");
        Files.writeString(dir.resolve("fixtures/port.json"), "{\"port\": 22}");
        assertThatThrownBy(() -> EvalRunner.eval(List.of(dir), null, "data.net.open", false)).hasMessageContaining("merge error");
        PreparedQuery q = EvalRunner.prepare(List.of(dir), List.of("*.yaml"), "data.net.open", false, false);
        assertThat(q.eval((JsonNode) null).toJson().at("/result/0/expressions/0/value").asInt()).isEqualTo(22);
        // a directory whose name matches is skipped whole
        PreparedQuery none = EvalRunner.prepare(List.of(dir), List.of("*.yaml", "fix*"), "data.net.open", false, false);
        assertThat(none.eval((JsonNode) null).toJson().toString()).isEqualTo("{}");
    }
}
