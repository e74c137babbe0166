package dev.posture.report;

import dev.posture.model.BaselineState;
import dev.posture.triage.Baseline;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.TargetType;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static dev.posture.report.ReportFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonReportReaderTest {

    private static List<BaselineEntry> roundTrip(ScanResult r) throws IOException {
        String json = new JsonReportWriter().writeToString(r);
        return new JsonReportReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "old.json");
    }

    @Test
    void readsBackEveryFinding() throws IOException {
        List<BaselineEntry> entries = roundTrip(full());
        assertThat(entries).extracting(BaselineEntry::fingerprint)
                .containsExactlyElementsOf(full().findings().stream().map(Finding::fingerprint).toList());

        BaselineEntry web = entries.get(0);
        assertThat(web.ruleId()).isEqualTo("k8s-privileged");
        assertThat(web.control()).isEqualTo("privileged");
        assertThat(web.severity()).isEqualTo(PRIVILEGED.severity());
        assertThat(web.surface()).isEqualTo(PRIVILEGED.surface());
        assertThat(web.theme()).isEqualTo(PRIVILEGED.theme());
        assertThat(web.title()).isEqualTo("Privileged container");
        assertThat(web.target()).isEqualTo(K8S.ref());
        assertThat(web.resource()).isEqualTo("Deployment/shop/web");
        assertThat(web.container()).isEqualTo("web");
        assertThat(web.location()).isEqualTo(Location.of("./k8s/deploy.yaml", 21, 11));
        assertThat(web.logicalLocation()).isEqualTo(F_PRIVILEGED.logicalLocation());
        assertThat(web.message()).isEqualTo(F_PRIVILEGED.message());
        assertThat(web.suppressed()).isFalse();

        BaselineEntry tracing = entries.stream().filter(e -> e.ruleId().equals("lambda-missing-tracing")).findFirst()
                .orElseThrow();
        assertThat(tracing.suppressed()).isTrue();
        assertThat(tracing.suppression()).isEqualTo(F_TRACING.suppression());
        assertThat(tracing.target().type()).isEqualTo(TargetType.LAMBDA);
        assertThat(tracing.location()).isNull();

        BaselineEntry add = entries.stream().filter(e -> e.ruleId().equals("image-add-instead-of-copy")).findFirst()
                .orElseThrow();
        assertThat(add.path()).isEqualTo("/app/config.yaml");
        assertThat(add.theme().id()).isEqualTo("supply-chain");
    }

    @Test
    void entriesBecomeFindingsThatWriteTheSameJson() throws IOException {
        List<BaselineEntry> entries = roundTrip(full());
        List<Finding> back = entries.stream().map(BaselineEntry::toFinding).toList();
        ScanResult again = new ScanResult("posture", "0.1.0-SNAPSHOT", "scan-42", Instant.parse("2026-11-26T10:15:30Z"),
                BASE_DIR, full().targets(), back.stream()
                .map(f -> f.withBaselineState(full().findings().get(back.indexOf(f)).baselineState())).toList(),
                full().summaries(), full().warnings());
        assertThat(new JsonReportWriter().writeToString(again)).isEqualTo(new JsonReportWriter().writeToString(full()));
    }

    @Test
    void baselineMarksNewUnchangedAndAbsent(@TempDir Path dir) throws IOException {
        ScanResult old = new ScanResult("posture", "0.1.0", "old", Instant.EPOCH, BASE_DIR, full().targets(),
                List.of(F_PRIVILEGED, F_ADMIN, F_ROOT), List.of(), List.of());
        Path file = dir.resolve("old.json");
        try (var out = Files.newOutputStream(file)) {
            new JsonReportWriter().write(old, out);
        }
        Baseline baseline = Baseline.read(file);
        assertThat(baseline.size()).isEqualTo(3);

        // the admin finding moved to another line: same fingerprint, still unchanged
        Finding moved = new Finding(F_ADMIN.rule(), F_ADMIN.target(), F_ADMIN.resource(), null, null,
                Location.of(F_ADMIN.location().file(), 40, 0), F_ADMIN.logicalLocation(), "Statement[0]",
                F_ADMIN.message(), null, null, null, null);
        assertThat(moved.fingerprint()).isEqualTo(F_ADMIN.fingerprint());
        List<Finding> current = List.of(moved, F_PUBLIC, F_ROOT);
        List<Finding> marked = baseline.apply(current);
        assertThat(marked).extracting(Finding::baselineState)
                .containsExactly(BaselineState.UNCHANGED, BaselineState.NEW, BaselineState.UNCHANGED);
        List<Finding> absent = baseline.absent(current);
        assertThat(absent).hasSize(1);
        assertThat(absent.get(0).fingerprint()).isEqualTo(F_PRIVILEGED.fingerprint());
        assertThat(absent.get(0).baselineState()).isEqualTo(BaselineState.ABSENT);
        assertThat(absent.get(0).rule().id()).isEqualTo("k8s-privileged");
    }

    @Test
    void clearErrorsNameTheFile(@TempDir Path dir) throws IOException {
        JsonReportReader reader = new JsonReportReader();
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"findings\": [");
        assertThatThrownBy(() -> reader.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("not valid JSON");
        Path sarif = dir.resolve("results.sarif");
        Files.writeString(sarif, new SarifReportWriter().writeToString(full()));
        assertThatThrownBy(() -> reader.read(sarif)).hasMessageContaining("results.sarif")
                .hasMessageContaining("not a posture JSON report");
        Path newer = dir.resolve("newer.json");
        Files.writeString(newer, "{\"formatVersion\": 99, \"findings\": []}");
        assertThatThrownBy(() -> reader.read(newer)).hasMessageContaining("newer");
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, "{\"findings\": [{\"ruleId\": \"x\"}]}");
        assertThatThrownBy(() -> reader.read(missing)).hasMessageContaining("findings[0]")
                .hasMessageContaining("fingerprint");
    }

    @Test
    void toleratesUnknownKeys() throws IOException {
        String json = new JsonReportWriter().writeToString(full()).replace("\"formatVersion\": 1,",
                "\"formatVersion\": 1, \"somethingNew\": {\"x\": 1},");
        assertThat(new JsonReportReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "x"))
                .hasSize(7);
    }
}
