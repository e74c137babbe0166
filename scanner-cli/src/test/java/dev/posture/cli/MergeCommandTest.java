package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code posture report merge}: exit codes, conflicts and bad input; {@code --shard} usage errors. */
class MergeCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path demo;
    static Path shard1of3;
    static Path shard3of3;

    @BeforeAll
    static void scans() {
        demo = dir.resolve("demo.json");
        assertThat(run("scan", "-q", "-j", "2", "--no-ignore-file", fixture("demo"), "-o", demo.toString()).exit())
                .isEqualTo(ExitCodes.OK);
        shard1of3 = dir.resolve("k8s-1.json");
        shard3of3 = dir.resolve("k8s-3.json");
        run("scan", "-q", "-j", "2", "--no-ignore-file", fixture("k8s"), "--shard", "1/3", "-o", shard1of3.toString());
        run("scan", "-q", "-j", "2", "--no-ignore-file", fixture("k8s"), "--shard", "3/3", "-o", shard3of3.toString());
    }

    static Path edited(String name, Path from, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(from.toFile());
        edit.accept(root);
        Path p = dir.resolve(name);
        JSON.writeValue(p.toFile(), root);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"3/2", "0/0", "0/3", "a/b", "1/0", "2", "1/2/3", "-1/2", ""})
    void aBadShardIsAUsageError(String spec) {
        Cli r = run("scan", fixture("demo"), "--shard", spec);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("posture scan: --shard: ").contains("K/N");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void exitCodesAreThoseOfScan() {
        Cli clean = run("report", "merge", demo.toString(), demo.toString(), "-f", "json");
        assertThat(clean.exit()).as(clean.err()).isEqualTo(ExitCodes.OK);
        Cli gated = run("report", "merge", demo.toString(), "--fail-on", "high", "-f", "table");
        assertThat(gated.exit()).as(gated.err()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(gated.out()).contains("k8s-privileged");
        Cli badGate = run("report", "merge", demo.toString(), "--fail-on", "severe");
        assertThat(badGate.exit()).isEqualTo(ExitCodes.USAGE);
        Cli none = run("report", "merge");
        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void mergingAReportWithItselfChangesNothing() throws Exception {
        Cli r = run("report", "merge", "-q", demo.toString(), demo.toString(), "-f", "json");
        JsonNode merged = JSON.readTree(r.out());
        JsonNode original = JSON.readTree(demo.toFile());
        assertThat(merged.get("findings")).isEqualTo(original.get("findings"));
        assertThat(merged.get("targets")).isEqualTo(original.get("targets"));
        assertThat(merged.get("summary")).isEqualTo(original.get("summary"));
    }

    @Test
    void aTargetFailedInAnyReportStaysFailed() throws Exception {
        Path failed = edited("failed.json", demo, root -> {
            ObjectNode t = (ObjectNode) root.get("targets").get(0);
            t.put("status", "failed");
            t.put("error", "the registry said 503");
            ((ArrayNode) root.get("findings")).removeAll();
        });
        String name = JSON.readTree(failed.toFile()).at("/targets/0/name").asText();
        for (String[] order : new String[][] {{demo.toString(), failed.toString()}, {failed.toString(), demo.toString()}}) {
            Cli r = run("report", "merge", order[0], order[1], "-f", "json");
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(r.err()).contains("1 target(s) failed");
            JsonNode merged = JSON.readTree(r.out());
            assertThat(merged.at("/scan/incomplete").asBoolean()).isTrue();
            JsonNode t = merged.get("targets").get(0);
            assertThat(t.get("name").asText()).isEqualTo(name);
            assertThat(t.get("status").asText()).isEqualTo("failed");
            assertThat(t.get("error").asText()).isEqualTo("the registry said 503");
            // the findings the other report has for it are kept
            assertThat(merged.get("findings").size()).isEqualTo(JSON.readTree(demo.toFile()).get("findings").size());
        }
    }

    @Test
    void differentRuleMetadataIsAnErrorNamingRuleAndFiles() throws Exception {
        Path other = edited("other.json", demo, root -> {
            for (JsonNode f : root.get("findings")) {
                if (f.get("ruleId").asText().equals("k8s-privileged")) {
                    ((ObjectNode) f).put("severity", "low");
                }
            }
        });
        Cli r = run("report", "merge", demo.toString(), other.toString(), "-f", "json");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("rule k8s-privileged has different metadata in " + demo + " and " + other)
                .contains("severity critical vs low");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void differentVersionsAreAWarningNamingBoth() throws Exception {
        Path old = edited("old.json", demo, root -> ((ObjectNode) root.get("tool")).put("version", "0.0.9"));
        Cli r = run("report", "merge", demo.toString(), old.toString(), "-f", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("posture: warning: the merged reports come from different posture versions: 0.0.9 ("
                + old + ")").contains(demo.toString());
        assertThat(JSON.readTree(r.out()).get("warnings").toString()).contains("different posture versions");
    }

    @Test
    void missingShardsAndMixedCountsAreWarnings() throws Exception {
        Cli r = run("report", "merge", shard1of3.toString(), shard3of3.toString(), "-f", "json");
        assertThat(r.err()).contains("posture: warning: shard(s) 2/3 missing from the merge");
        Path other = edited("k8s-1of2.json", shard1of3, root -> {
            ObjectNode s = (ObjectNode) root.get("scan").get("shard");
            s.put("count", 2);
        });
        Cli mixed = run("report", "merge", shard1of3.toString(), other.toString(), "-f", "json");
        assertThat(mixed.err()).contains("shards of different counts: " + shard1of3 + " (1/3), " + other + " (1/2)")
                .contains("shard(s) 2/2 missing").contains("shard(s) 2/3, 3/3 missing");
    }

    @Test
    void aFileThatIsNoPostureReportIsAUsageErrorNamingIt() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Path other = Files.writeString(dir.resolve("package.json"), "{\"name\": \"x\", \"findings\": []}");
        Path sarif = dir.resolve("demo.sarif");
        run("report", "merge", demo.toString(), "-o", sarif.toString());
        Path badFinding = edited("bad-finding.json", demo, root ->
                ((ObjectNode) root.get("findings").get(0)).remove("fingerprint"));
        for (Path p : new Path[] {text, other, sarif, dir.resolve("missing.json"), dir}) {
            Cli r = run("report", "merge", demo.toString(), p.toString(), "-f", "json");
            assertThat(r.exit()).as(p + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(p.toString()).startsWith("posture report merge: " + p);
            assertThat(r.out()).isEmpty();
        }
        Cli r = run("report", "merge", badFinding.toString(), "-f", "json");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(badFinding + ": findings[0]: missing \"fingerprint\"");
    }

    @Test
    void aReportIsNeverWrittenOverAnInput() throws Exception {
        byte[] before = Files.readAllBytes(demo);
        Cli r = run("report", "merge", demo.toString(), "-o", demo.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is a merged report");
        assertThat(Files.readAllBytes(demo)).isEqualTo(before);
    }
}
