package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.report.SarifSchemaValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code scan --shard K/N} over N processes plus {@code report merge} equals one whole scan. */
class ShardMergeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Both surfaces, cross-file Kubernetes checks, failed targets (bad/), unrecognised files (real-world). */
    static final String[] INPUTS = {fixture("demo"), fixture("k8s"), fixture("sam"), fixture("iam"),
            fixture("serverless"), fixture("tfplan"), fixture("real-world")};

    /**
     * Kubernetes checks that cross files: each namespace's default-deny NetworkPolicy is in one file and its
     * Deployment in another, so a shard that judged its own manifests without the others' would report
     * k8s-no-network-policy on Deployments whose policy file hashed to another shard.
     */
    @TempDir
    static Path crossFile;

    @org.junit.jupiter.api.BeforeAll
    static void crossFileManifests() throws Exception {
        for (int i = 0; i < 12; i++) {
            Path d = Files.createDirectories(crossFile.resolve("team-" + i));
            Files.writeString(d.resolve("netpol.yaml"), """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: default-deny, namespace: team-%d}
                    spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                    """.formatted(i));
            Files.writeString(d.resolve("app.yaml"), """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: app, namespace: team-%d}
                    spec:
                      selector: {matchLabels: {app: app}}
                      template:
                        metadata: {labels: {app: app}}
                        spec:
                          containers:
                            - name: app
                              image: registry.example.com/app:1.%d
                    """.formatted(i, i));
        }
    }

    static String[] scanArgs(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("scan", "-j", "2", "--no-ignore-file", "-q", "-f", "json=" + out));
        a.addAll(List.of(INPUTS));
        a.add(crossFile.toString());
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** The report without what differs between runs by design: scan id, start time, shard. */
    static JsonNode comparable(JsonNode report) {
        ObjectNode r = report.deepCopy();
        ObjectNode scan = (ObjectNode) r.get("scan");
        scan.remove("id");
        scan.remove("startedAt");
        scan.remove("shard");
        return r;
    }

    /** Where two trees first differ (a JSON pointer and both values), or null; a readable failure. */
    static String firstDifference(String at, JsonNode a, JsonNode b) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new java.util.LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode x = a.get(k);
                JsonNode y = b.get(k);
                if (x == null || y == null) {
                    return at + "/" + k + ": " + x + " vs " + y;
                }
                String d = firstDifference(at + "/" + k, x, y);
                if (d != null) {
                    return d;
                }
            }
        }
        if (a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                String d = firstDifference(at + "/" + i, a.get(i), b.get(i));
                if (d != null) {
                    return d;
                }
            }
            return at + ": " + a.size() + " vs " + b.size() + " elements";
        }
        return at + ": " + a + " vs " + b;
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 3, 7})
    void shardsPlusMergeEqualOneScan(int n, @TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole.json");
        Cli full = run(scanArgs(whole));
        assertThat(full.exit()).as(full.err()).isEqualTo(ExitCodes.INCOMPLETE); // fixtures/*/bad fail
        JsonNode expected = JSON.readTree(whole.toFile());
        assertThat(expected.get("findings").size()).isGreaterThan(100);
        assertThat(expected.get("unrecognised").size()).isGreaterThan(0);
        for (JsonNode f : expected.get("findings")) {
            if (f.at("/target/name").asText().startsWith(crossFile.toString())) {
                assertThat(f.get("ruleId").asText()).as("the cross-file policies cover the apps").isNotEqualTo(
                        "k8s-no-network-policy");
            }
        }

        List<String> merge = new ArrayList<>(List.of("report", "merge", "-q", "-f", "json=" + dir.resolve("merged.json"),
                "-f", "sarif=" + dir.resolve("merged.sarif")));
        Set<String> seen = new HashSet<>();
        int nonEmpty = 0;
        for (int k = 1; k <= n; k++) {
            Path part = dir.resolve("shard-" + k + ".json");
            Cli r = run(scanArgs(part, "--shard", k + "/" + n));
            assertThat(r.exit()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.INCOMPLETE);
            JsonNode shard = JSON.readTree(part.toFile());
            assertThat(shard.at("/scan/shard/index").asInt()).isEqualTo(k);
            assertThat(shard.at("/scan/shard/count").asInt()).isEqualTo(n);
            // disjoint: no target and no finding in two shards
            for (JsonNode t : shard.get("targets")) {
                assertThat(seen.add("t " + t.get("type").asText() + " " + t.get("name").asText()))
                        .as("target %s in two shards", t).isTrue();
            }
            for (JsonNode f : shard.get("findings")) {
                assertThat(seen.add("f " + f.get("fingerprint").asText())).as("finding %s in two shards", f).isTrue();
            }
            for (JsonNode u : shard.get("unrecognised")) {
                assertThat(seen.add("u " + u.get("path").asText())).as("unrecognised %s in two shards", u).isTrue();
            }
            if (shard.get("targets").size() > 0) {
                nonEmpty++;
            }
            merge.add(part.toString());
        }
        if (n > 1) {
            assertThat(nonEmpty).as("the partition spreads the targets").isGreaterThan(1);
        }
        Cli m = run(merge.toArray(String[]::new));
        assertThat(m.exit()).as(m.err()).isEqualTo(ExitCodes.INCOMPLETE); // the failed targets stay failed
        JsonNode merged = JSON.readTree(dir.resolve("merged.json").toFile());
        assertThat(merged.at("/scan/shard").isNull()).isTrue();
        // the combined posture section (counts, scores, status from coverage, checks) is the whole scan's
        assertThat(firstDifference("/posture", merged.get("posture"), expected.get("posture"))).isNull();
        assertThat(merged.at("/posture/coverage").size()).isGreaterThan(5);
        assertThat(merged.at("/posture/checks/kubernetes").size()).isGreaterThan(20);
        assertThat(merged.at("/posture/checks/lambda").size()).isGreaterThan(10);
        assertThat(firstDifference("", comparable(merged), comparable(expected))).isNull();
        assertThat(comparable(merged)).isEqualTo(comparable(expected));
        SarifSchemaValidator.assertValid(JSON.readTree(dir.resolve("merged.sarif").toFile()));
    }

    @Test
    void mergedSarifCarriesTheRulesHelp(@TempDir Path dir) throws Exception {
        Path part = dir.resolve("all.json");
        run(scanArgs(part));
        Path sarif = dir.resolve("merged.sarif");
        Cli m = run("report", "merge", "-q", part.toString(), "-o", sarif.toString());
        assertThat(m.exit()).as(m.err()).isEqualTo(ExitCodes.INCOMPLETE);
        Cli s = run("scan", "-j", "2", "--no-ignore-file", "-q", "-f", "sarif", fixture("demo"));
        JsonNode direct = JSON.readTree(s.out());
        JsonNode viaMerge = JSON.readTree(sarif.toFile());
        JsonNode rule = null;
        for (JsonNode r : viaMerge.at("/runs/0/tool/driver/rules")) {
            if (r.get("id").asText().equals("k8s-privileged")) {
                rule = r;
            }
        }
        assertThat(rule).isNotNull();
        for (JsonNode r : direct.at("/runs/0/tool/driver/rules")) {
            if (r.get("id").asText().equals("k8s-privileged")) {
                assertThat(rule.get("help")).isEqualTo(r.get("help"));
            }
        }
    }
}
