package dev.posture.triage;

import dev.posture.document.InputException;
import dev.posture.model.BaselineState;
import dev.posture.model.Finding;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriageTest {
    static final Rule WILDCARD = new Rule("wildcard-action", "Wildcard action", Severity.MEDIUM, Surface.SERVERLESS,
            Theme.IAM, "wildcard-action", "", "", List.of());
    static final Rule SECRET = new Rule("secret-in-env", "Secret in env", Severity.CRITICAL, Surface.SERVERLESS,
            Theme.SECRETS, "secret-in-env", "", "", List.of());

    static Finding finding(Rule r, String target, String resource, String path) {
        return Finding.builder(r, new TargetRef(TargetType.LAMBDA, target)).resource(resource).logicalPath(path)
                .message("m").build();
    }

    @Test
    void ignoreEntriesMatchByRuleControlTargetGlobAndResource(@TempDir Path dir) throws Exception {
        Path f = dir.resolve(".posture-ignore.yaml");
        Files.writeString(f, """
                ignore:
                  - rule: wildcard-action
                    target: "fixtures/**"
                    resource: Orders*
                    reason: legacy role, SEC-1
                  - control: secret-in-env
                    reason: test key
                    expires: 2020-01-01
                """);
        List<IgnoreEntry> entries = IgnoreFile.load(f);
        Triage t = new Triage(entries, null, LocalDate.of(2026, 11, 26));
        List<Finding> out = t.apply(List.of(
                finding(WILDCARD, "fixtures/sam/a.yaml", "OrdersFn", "p1"),
                finding(WILDCARD, "other/a.yaml", "OrdersFn", "p2"),
                finding(WILDCARD, "fixtures/sam/a.yaml", "Billing", "p3"),
                finding(SECRET, "fixtures/sam/a.yaml", "OrdersFn", "p4")));
        assertThat(out.get(0).suppression()).isNotNull();
        assertThat(out.get(0).suppression().reason()).isEqualTo("legacy role, SEC-1");
        assertThat(out.get(1).suppressed()).isFalse();
        assertThat(out.get(2).suppressed()).isFalse();
        // the expired entry no longer applies, and is warned about
        assertThat(out.get(3).suppressed()).isFalse();
        assertThat(t.warnings()).singleElement().asString().contains("expired on 2020-01-01");
    }

    @Test
    void entryWithoutReasonIsRejectedWithItsLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("i.yaml");
        Files.writeString(f, "ignore:\n  - rule: a\n    reason: ok\n  - rule: b\n");
        assertThatThrownBy(() -> IgnoreFile.load(f)).isInstanceOf(InputException.class)
                .hasMessageContaining("i.yaml:4").hasMessageContaining("reason");
    }

    @Test
    void duplicatesAreRemovedAndBaselineStatesMarked() {
        Finding a = finding(WILDCARD, "t", "r", "p1");
        Finding b = finding(WILDCARD, "t", "r", "p2");
        Triage t = new Triage(List.of(), Baseline.of(List.of(entry(a))), LocalDate.now());
        List<Finding> out = t.apply(List.of(a, a, b));
        assertThat(out).hasSize(2);
        assertThat(out.get(0).baselineState()).isEqualTo(BaselineState.UNCHANGED);
        assertThat(out.get(1).baselineState()).isEqualTo(BaselineState.NEW);
    }

    static dev.posture.report.BaselineEntry entry(Finding f) {
        return new dev.posture.report.BaselineEntry(f.fingerprint(), f.rule().id(), f.rule().control(),
                f.rule().severity(), f.rule().surface(), f.rule().theme(), f.rule().title(), f.target(), f.resource(),
                f.container(), f.path(), f.location(), f.logicalLocation(), f.message(), f.evidence(), null);
    }

    @Test
    void fingerprintIgnoresLinesAndMessagesButNotLogicalPlace() {
        Finding a = Finding.builder(WILDCARD, new TargetRef(TargetType.IAM, "p.json")).resource("p")
                .logicalPath("statement/0").location(dev.posture.model.Location.of("p.json", 3, 1)).message("x").build();
        Finding moved = Finding.builder(WILDCARD, new TargetRef(TargetType.IAM, "p.json")).resource("p")
                .logicalPath("statement/0").location(dev.posture.model.Location.of("p.json", 30, 5)).message("y").build();
        Finding other = Finding.builder(WILDCARD, new TargetRef(TargetType.IAM, "p.json")).resource("p")
                .logicalPath("statement/1").message("x").build();
        assertThat(moved.fingerprint()).isEqualTo(a.fingerprint());
        assertThat(other.fingerprint()).isNotEqualTo(a.fingerprint());
    }

    @Test
    void anEntryAppliesUpToItsExpiryDateAndNotAfterAndCarriesItsFields() {
        IgnoreEntry e = new IgnoreEntry("wildcard-action", null, null, "fixtures/**", "Orders*", "legacy", LocalDate.of(2026, 1, 31),
                "i.yaml:2");
        Finding f = finding(WILDCARD, "fixtures/a.yaml", "OrdersFn", "p");
        Finding onTheDay = new Triage(List.of(e), null, LocalDate.of(2026, 1, 31)).apply(List.of(f)).get(0);
        assertThat(onTheDay.suppression()).isEqualTo(new dev.posture.model.Suppression("legacy", LocalDate.of(2026, 1, 31),
                "i.yaml:2", "wildcard-action", null, null, "fixtures/**", "Orders*"));
        Triage after = new Triage(List.of(e), null, LocalDate.of(2026, 2, 1));
        assertThat(after.apply(List.of(f)).get(0).suppressed()).isFalse();
        assertThat(after.warnings()).singleElement().asString().contains("i.yaml:2").contains("no longer applies");
    }
}
