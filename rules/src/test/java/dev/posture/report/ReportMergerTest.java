package dev.posture.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.model.BaselineState;
import dev.posture.model.Finding;
import dev.posture.model.Rule;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Unrecognised;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Shard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.posture.report.ReportFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportMergerTest {

    static ScanResult reRead(ScanResult r) throws IOException {
        JsonNode json = new JsonReportWriter().toJson(r);
        return new JsonReportReader().readResult(json, "r.json", id -> null);
    }

    static ScanResult sharded(ScanResult r, Shard s) {
        return new ScanResult(r.toolName(), r.toolVersion(), r.scanId(), r.startedAt(), r.baseDir(), r.targets(),
                r.findings(), r.summaries(), r.warnings(), r.unrecognised(), s);
    }

    @Test
    void aReportReadBackWritesTheSameJson() throws IOException {
        ScanResult full = new ScanResult("posture", "0.1.0-SNAPSHOT", "scan-42", Instant.parse("2026-11-26T10:15:30Z"),
                BASE_DIR, full().targets(), full().findings().stream()
                .map(f -> f.withBaselineState(BaselineState.NEW)).toList(), full().summaries(), full().warnings(),
                List.of(new Unrecognised("app/tsconfig.json", "top-level keys compilerOptions match no supported input")),
                new Shard(2, 3));
        JsonNode written = new JsonReportWriter().toJson(full);
        ScanResult back = reRead(full);
        assertThat(new JsonReportWriter().toJson(back)).isEqualTo(written);
        assertThat(back.shard()).isEqualTo(new Shard(2, 3));
        assertThat(back.findings()).extracting(Finding::suppression)
                .containsExactlyElementsOf(full.findings().stream().map(Finding::suppression).toList());
    }

    @Test
    void fullRulesAreTakenFromTheCatalogOnlyWhenTheMetadataAgrees() throws IOException {
        Rule rich = new Rule(F_PRIVILEGED.rule().id(), F_PRIVILEGED.rule().title(), F_PRIVILEGED.rule().severity(),
                F_PRIVILEGED.rule().surface(), F_PRIVILEGED.rule().theme(), F_PRIVILEGED.rule().control(),
                "the description", "the remediation", List.of("https://example.com/rule"));
        Rule other = new Rule(F_ADMIN.rule().id(), "another title", F_ADMIN.rule().severity(), F_ADMIN.rule().surface(),
                F_ADMIN.rule().theme(), F_ADMIN.rule().control(), "x", "y", List.of());
        Map<String, Rule> catalog = Map.of(rich.id(), rich, other.id(), other);
        ScanResult back = new JsonReportReader().readResult(new JsonReportWriter().toJson(full()), "r.json",
                catalog::get);
        Finding privileged = back.findings().stream().filter(f -> f.rule().id().equals(rich.id())).findFirst().orElseThrow();
        assertThat(privileged.rule()).isEqualTo(rich);
        Finding admin = back.findings().stream().filter(f -> f.rule().id().equals(other.id())).findFirst().orElseThrow();
        assertThat(admin.rule().title()).isEqualTo(F_ADMIN.rule().title());
        assertThat(admin.rule().description()).isEmpty();
    }

    @Test
    void mergingTheSameReportTwiceGivesItBack() throws Exception {
        ScanResult r = reRead(full());
        ReportMerger.Merged m = new ReportMerger("9.9", BASE_DIR).merge(List.of(
                new ReportMerger.Input("a.json", r), new ReportMerger.Input("b.json", r)));
        assertThat(m.mergeWarnings()).isEmpty();
        // the same findings and targets, in the scan's order (the fixture's own order is hand-made)
        assertThat(m.result().findings()).containsExactlyInAnyOrderElementsOf(r.findings());
        assertThat(m.result().findings()).isSortedAccordingTo(dev.posture.scan.Scanner.FINDING_ORDER);
        assertThat(m.result().targets()).containsExactlyInAnyOrderElementsOf(r.targets());
        assertThat(m.result().warnings()).isEqualTo(r.warnings());
        assertThat(m.result().toolVersion()).isEqualTo(r.toolVersion());
        assertThat(m.result().shard()).isNull();
        assertThat(m.result().scanId()).startsWith("merged-");
    }

    @Test
    void failedWinsOverScannedAndScannedOverSkipped() throws Exception {
        Target scanned = K8S;
        Target failed = K8S.withStatus(TargetStatus.FAILED, "boom");
        Target skipped = LAMBDA.withStatus(TargetStatus.SKIPPED, "not a regular file");
        ScanResult a = new ScanResult("posture", "1", "a", Instant.EPOCH, null, List.of(scanned, skipped), List.of(),
                List.of(), List.of("w1", "w2"));
        ScanResult b = new ScanResult("posture", "1", "b", Instant.EPOCH.plusSeconds(5), null,
                List.of(failed, LAMBDA), List.of(), List.of(), List.of("w2"));
        for (List<ReportMerger.Input> order : List.of(
                List.of(new ReportMerger.Input("a", a), new ReportMerger.Input("b", b)),
                List.of(new ReportMerger.Input("b", b), new ReportMerger.Input("a", a)))) {
            ScanResult m = new ReportMerger("1", null).merge(order).result();
            assertThat(m.targets()).containsExactly(failed, LAMBDA);
            assertThat(m.incomplete()).isTrue();
            assertThat(m.warnings()).containsExactlyInAnyOrder("w1", "w2");
            assertThat(m.startedAt()).isEqualTo(Instant.EPOCH);
        }
    }

    @Test
    void aRuleWithOtherMetadataIsAConflict() {
        Finding f = F_PRIVILEGED;
        Rule r = f.rule();
        Finding changed = new Finding(new Rule(r.id(), "Privileged!", r.severity(), r.surface(), r.theme(),
                r.control(), null, null, null), f.target(), f.resource(), f.container(), f.path(), f.location(),
                f.logicalLocation(), null, f.message(), f.evidence(), f.fingerprint(), null, null);
        ScanResult a = new ScanResult("posture", "1", "a", Instant.EPOCH, null, List.of(K8S), List.of(f), List.of(),
                List.of());
        ScanResult b = new ScanResult("posture", "1", "b", Instant.EPOCH, null, List.of(K8S), List.of(changed),
                List.of(), List.of());
        assertThatThrownBy(() -> new ReportMerger("1", null).merge(List.of(new ReportMerger.Input("a.json", a),
                new ReportMerger.Input("b.json", b))))
                .isInstanceOf(ReportMerger.Conflict.class)
                .hasMessageContaining("rule " + r.id() + " has different metadata in a.json and b.json: title \""
                        + r.title() + "\" vs \"Privileged!\"");
    }

    @Test
    void missingShardsAreNamed() throws Exception {
        ScanResult r = reRead(full());
        ReportMerger.Merged m = new ReportMerger("1", null).merge(List.of(
                new ReportMerger.Input("s1.json", sharded(r, new Shard(1, 5))),
                new ReportMerger.Input("s4.json", sharded(r, new Shard(4, 5)))));
        assertThat(m.mergeWarnings()).containsExactly("shard(s) 2/5, 3/5, 5/5 missing from the merge: the merged"
                + " report does not cover the targets of those shards");
        assertThat(m.result().warnings()).contains(m.mergeWarnings().get(0));
    }
}
