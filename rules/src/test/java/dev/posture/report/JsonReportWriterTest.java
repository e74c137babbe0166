package dev.posture.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.posture.report.ReportFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class JsonReportWriterTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode json() throws Exception {
        return M.readTree(new JsonReportWriter().writeToString(full()));
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static JsonNode finding(JsonNode root, String fingerprint) {
        for (JsonNode f : root.get("findings")) {
            if (f.get("fingerprint").asText().equals(fingerprint)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + fingerprint);
    }

    @Test
    void topLevelKeysInStableOrder() throws Exception {
        JsonNode root = json();
        assertThat(keys(root)).containsExactly("formatVersion", "tool", "scan", "targets", "findings", "summary",
                "functions", "warnings", "unrecognised", "posture");
        assertThat(root.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(root.at("/tool/name").asText()).isEqualTo("posture");
        assertThat(root.at("/tool/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(keys(root.get("scan"))).containsExactly("id", "startedAt", "incomplete", "shard");
        assertThat(root.at("/scan/id").asText()).isEqualTo("scan-42");
        assertThat(root.at("/scan/startedAt").asText()).isEqualTo("2026-11-26T10:15:30Z");
        assertThat(root.at("/scan/incomplete").asBoolean()).isTrue();
        assertThat(root.get("warnings")).hasSize(1);
        assertThat(root.at("/warnings/0").asText()).contains("expired");
    }

    @Test
    void targetsWithStatusAndError() throws Exception {
        JsonNode targets = json().get("targets");
        assertThat(targets).hasSize(6);
        JsonNode broken = targets.get(1);
        assertThat(keys(broken)).containsExactly("type", "name", "source", "status", "error");
        assertThat(broken.get("type").asText()).isEqualTo("image");
        assertThat(broken.get("name").asText()).isEqualTo("registry.example.com/broken:latest");
        assertThat(broken.get("source").asText()).isEqualTo("registry");
        assertThat(broken.get("status").asText()).isEqualTo("failed");
        assertThat(broken.get("error").asText()).isEqualTo("pull failed: 401 Unauthorized");
        JsonNode lambda = targets.get(4);
        assertThat(lambda.get("type").asText()).isEqualTo("lambda");
        assertThat(lambda.get("status").asText()).isEqualTo("scanned");
        assertThat(lambda.get("error").isNull()).isTrue();
    }

    @Test
    void fileFindingHasEveryField() throws Exception {
        JsonNode f = finding(json(), F_PRIVILEGED.fingerprint());
        assertThat(keys(f)).containsExactly("ruleId", "control", "severity", "surface", "theme", "title", "target",
                "resource", "container", "path", "location", "logicalLocation", "message", "evidence", "fingerprint",
                "suppressed", "baselineState");
        assertThat(f.get("ruleId").asText()).isEqualTo("k8s-privileged");
        assertThat(f.get("control").asText()).isEqualTo("privileged");
        assertThat(f.get("severity").asText()).isEqualTo("critical");
        assertThat(f.get("surface").asText()).isEqualTo("container");
        assertThat(f.get("theme").asText()).isEqualTo("runtime");
        assertThat(f.get("title").asText()).isEqualTo("Privileged container");
        assertThat(f.at("/target/type").asText()).isEqualTo("kubernetes");
        assertThat(f.at("/target/name").asText()).isEqualTo("k8s/deploy.yaml");
        assertThat(f.get("resource").asText()).isEqualTo("Deployment/shop/web");
        assertThat(f.get("container").asText()).isEqualTo("web");
        assertThat(f.get("path").isNull()).isTrue();
        assertThat(f.at("/location/file").asText()).isEqualTo("./k8s/deploy.yaml");
        assertThat(f.at("/location/line").asInt()).isEqualTo(21);
        assertThat(f.at("/location/column").asInt()).isEqualTo(11);
        assertThat(f.get("logicalLocation").asText()).isEqualTo("Deployment/shop/web → containers[web]");
        assertThat(f.get("message").asText()).isEqualTo("Container \"web\" runs privileged");
        assertThat(f.get("evidence").isNull()).isTrue();
        assertThat(f.get("fingerprint").asText()).hasSize(32).isEqualTo(F_PRIVILEGED.fingerprint());
        assertThat(f.get("suppressed").isBoolean()).isTrue();
        assertThat(f.get("suppressed").asBoolean()).isFalse();
        assertThat(f.get("baselineState").asText()).isEqualTo("new");
    }

    @Test
    void unknownLineAndColumnAreNull() throws Exception {
        JsonNode f = finding(json(), F_DEBUG.fingerprint());
        assertThat(f.at("/location/file").asText()).isEqualTo("k8s\\debug pod.yaml");
        assertThat(f.at("/location/line").isNull()).isTrue();
        assertThat(f.at("/location/column").isNull()).isTrue();
        assertThat(f.has("baselineState")).isFalse();
        JsonNode admin = finding(json(), F_ADMIN.fingerprint());
        assertThat(admin.at("/location/line").asInt()).isEqualTo(5);
        assertThat(admin.at("/location/column").isNull()).isTrue();
        assertThat(admin.get("evidence").asText()).isEqualTo("\"Action\": \"*\"");
        assertThat(admin.get("baselineState").asText()).isEqualTo("unchanged");
    }

    @Test
    void nonFileFindingsHaveNullLocation() throws Exception {
        JsonNode root = json();
        JsonNode lambda = finding(root, F_PUBLIC.fingerprint());
        assertThat(lambda.get("location").isNull()).isTrue();
        assertThat(lambda.at("/target/type").asText()).isEqualTo("lambda");
        assertThat(lambda.at("/target/name").asText()).isEqualTo(ARN);
        assertThat(lambda.get("surface").asText()).isEqualTo("serverless");
        assertThat(lambda.get("theme").asText()).isEqualTo("network");
        JsonNode add = finding(root, F_ADD.fingerprint());
        assertThat(add.get("location").isNull()).isTrue();
        assertThat(add.get("path").asText()).isEqualTo("/app/config.yaml");
        assertThat(add.get("theme").asText()).isEqualTo("supply-chain");
        assertThat(add.get("severity").asText()).isEqualTo("info");
    }

    @Test
    void suppressedFindingCarriesTheIgnoreEntry() throws Exception {
        JsonNode f = finding(json(), F_TRACING.fingerprint());
        assertThat(keys(f.get("suppressed"))).containsExactly("reason", "expires", "source", "rule", "control",
                "fingerprint", "target", "resource");
        assertThat(f.at("/suppressed/reason").asText()).isEqualTo("tracing via OpenTelemetry");
        assertThat(f.at("/suppressed/expires").asText()).isEqualTo("2027-01-31");
        assertThat(f.at("/suppressed/source").asText()).isEqualTo(".postureignore:3");
        assertThat(f.at("/suppressed/rule").asText()).isEqualTo("lambda-missing-tracing");
        assertThat(f.at("/suppressed/control").isNull()).isTrue();
        assertThat(f.at("/suppressed/fingerprint").isNull()).isTrue();
        assertThat(f.at("/suppressed/target").asText()).isEqualTo("arn:aws:lambda:*");
        assertThat(f.at("/suppressed/resource").asText()).isEqualTo("Orders");
    }

    @Test
    void summaryCountsEverySurfaceAndSeverityWithoutSuppressed() throws Exception {
        JsonNode s = json().get("summary");
        assertThat(keys(s)).containsExactly("serverless", "container", "total", "findings", "suppressed",
                "unrecognised");
        for (String surface : List.of("serverless", "container", "total")) {
            assertThat(keys(s.get(surface))).containsExactly("critical", "high", "medium", "low", "info");
        }
        assertThat(s.at("/container/critical").asInt()).isEqualTo(2);
        assertThat(s.at("/container/high").asInt()).isZero();
        assertThat(s.at("/container/medium").asInt()).isEqualTo(1);
        assertThat(s.at("/container/info").asInt()).isEqualTo(1);
        assertThat(s.at("/serverless/high").asInt()).isEqualTo(2);
        assertThat(s.at("/serverless/low").asInt()).isZero(); // the suppressed one
        assertThat(s.at("/total/critical").asInt()).isEqualTo(2);
        assertThat(s.at("/total/high").asInt()).isEqualTo(2);
        assertThat(s.get("findings").asInt()).isEqualTo(6);
        assertThat(s.get("suppressed").asInt()).isEqualTo(1);
    }

    @Test
    void functionSummaries() throws Exception {
        JsonNode fn = json().at("/functions/0");
        assertThat(keys(fn)).containsExactly("target", "function", "role", "adminEquivalent", "grantedActions",
                "byAccessLevel", "highRiskActions", "usedByCode", "imageUri");
        assertThat(fn.at("/target/name").asText()).isEqualTo(ARN);
        assertThat(fn.get("function").asText()).isEqualTo("Orders");
        assertThat(fn.get("role").asText()).isEqualTo("OrdersRole");
        assertThat(fn.get("adminEquivalent").asBoolean()).isTrue();
        assertThat(fn.get("grantedActions").asInt()).isEqualTo(14321);
        assertThat(keys(fn.get("byAccessLevel")))
                .containsExactly("List", "Read", "Write", "Permissions management", "Tagging");
        assertThat(fn.at("/byAccessLevel/Read").asInt()).isEqualTo(6000);
        assertThat(fn.at("/highRiskActions/1").asText()).isEqualTo("iam:PassRole");
        assertThat(fn.get("usedByCode").asText()).isEqualTo("unknown");
        assertThat(fn.get("imageUri").isNull()).isTrue();
    }

    @Test
    void outputIsByteStable() {
        JsonReportWriter w = new JsonReportWriter();
        String a = w.writeToString(full());
        assertThat(w.writeToString(full())).isEqualTo(a);
        assertThat(a).startsWith("{\n  \"formatVersion\": 1,\n  \"tool\": {\n    \"name\": \"posture\",")
                .endsWith("}\n").doesNotContain("\r");
    }

    @Test
    void emptyScanStillHasFullSummary() throws Exception {
        JsonNode root = M.readTree(new JsonReportWriter().writeToString(empty()));
        assertThat(root.get("findings")).isEmpty();
        assertThat(root.at("/summary/serverless/critical").asInt()).isZero();
        assertThat(root.at("/summary/container/info").asInt()).isZero();
        assertThat(root.at("/summary/suppressed").asInt()).isZero();
        assertThat(root.at("/scan/incomplete").asBoolean()).isFalse();
    }

    @Test
    void controlCharactersBeyondAsciiAreEscapedSoAReportOnATerminalCannotDriveIt() throws Exception {
        dev.posture.model.Finding f = dev.posture.model.Finding.builder(PRIVILEGED, K8S.ref())
                .message("csi \u009b2J esc \u001b[2J del \u007f sep \u2028 é").build();
        String out = new JsonReportWriter().writeToString(new dev.posture.scan.ScanResult("posture", "1", "s",
                java.time.Instant.EPOCH, null, List.of(K8S), List.of(f), List.of(), List.of()));
        assertThat(out).doesNotContain("\u009b", "\u001b", "\u007f", "\u2028").contains("é");
        // still the same text once parsed
        assertThat(M.readTree(out).at("/findings/0/message").asText()).isEqualTo(f.message());
    }

    @Test
    void postureSectionHasEveryDocumentedKeyInOrder() throws Exception {
        ScanResult r = ReportFixtures.full().withCoverage(List.of(
                new dev.posture.model.Coverage(dev.posture.model.Surface.CONTAINER, dev.posture.model.Theme.CLUSTER)));
        JsonNode p = M.readTree(new JsonReportWriter().writeToString(r)).get("posture");
        assertThat(keys(p)).containsExactly("scoreFormula", "surfaces", "topRisks", "targets", "coverage", "checks");
        assertThat(keys(p.get("surfaces"))).containsExactly("serverless", "container");
        JsonNode ct = p.at("/surfaces/container");
        assertThat(keys(ct)).containsExactly("status", "score", "counts", "themes");
        assertThat(keys(ct.get("themes"))).containsExactly("iam", "secrets", "code", "image", "runtime", "cluster",
                "network", "supply-chain");
        assertThat(keys(ct.at("/themes/cluster"))).containsExactly("status", "counts", "owner", "responsibility",
                "notes", "topRisks");
        assertThat(ct.at("/themes/cluster/status").asText()).isEqualTo("clean");
        assertThat(ct.at("/themes/cluster/owner").asText()).isEqualTo("shared");
        assertThat(ct.at("/themes/code/status").asText()).isEqualTo("not scanned");
        assertThat(ct.at("/themes/runtime/status").asText()).isEqualTo("findings");
        assertThat(ct.at("/themes/runtime/counts/critical").asInt()).isEqualTo(2);
        assertThat(ct.at("/score").asDouble()).isEqualTo(78.0);
        // suppressed tracing finding: not counted
        assertThat(p.at("/surfaces/serverless/themes/runtime/counts/low").asInt()).isZero();
        assertThat(keys(p.at("/topRisks/0"))).containsExactly("ruleId", "severity", "surface", "theme", "title",
                "target", "resource", "message", "fingerprint");
        assertThat(p.get("targets")).hasSize(r.targets().size());
        assertThat(keys(p.at("/targets/0"))).containsExactly("type", "name", "status", "counts", "nodes");
        assertThat(p.at("/coverage/0/surface").asText()).isEqualTo("container");
        assertThat(p.at("/coverage/0/theme").asText()).isEqualTo("cluster");
    }
}
