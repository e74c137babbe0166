package dev.posture.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.posture.report.ReportFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SarifReportWriterTest {
    private static final ObjectMapper M = new ObjectMapper();

    /** Writes, validates against the official schema, parses. Every SARIF in this class goes through here. */
    private static JsonNode sarif(ScanResult r) throws Exception {
        String text = new SarifReportWriter().writeToString(r);
        JsonNode node = M.readTree(text);
        assertThat(SarifSchemaValidator.validate(node)).isEmpty();
        return node;
    }

    private static JsonNode result(JsonNode log, Finding f) {
        for (JsonNode r : log.at("/runs/0/results")) {
            if (r.at("/partialFingerprints/postureFingerprint~1v1").asText().equals(f.fingerprint())) {
                return r;
            }
        }
        throw new AssertionError("no result for " + f.message());
    }

    @Test
    void validatesAgainstTheOfficialSchema() throws Exception {
        sarif(full());
        sarif(empty());
    }

    @Test
    void validatorRejectsInvalidSarif() throws Exception {
        ObjectNode log = new SarifReportWriter().toSarif(full());
        ((ObjectNode) log.at("/runs/0/results/0")).put("level", "fatal");
        log.put("version", "2.0.0");
        ((ObjectNode) log.at("/runs/0/originalUriBaseIds/%SRCROOT%")).put("uri", "file:///a b/");
        assertThat(SarifSchemaValidator.validate(log)).hasSizeGreaterThanOrEqualTo(3)
                .anyMatch(m -> m.contains("originalUriBaseIds"));
        assertThatThrownBy(() -> SarifSchemaValidator.assertValid(log)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("level");
    }

    @Test
    void headerAndDriver() throws Exception {
        JsonNode log = sarif(full());
        assertThat(log.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        assertThat(log.get("runs")).hasSize(1);
        JsonNode driver = log.at("/runs/0/tool/driver");
        assertThat(driver.get("name").asText()).isEqualTo("posture");
        assertThat(driver.get("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(driver.get("semanticVersion").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(driver.get("informationUri").asText()).startsWith("https://");
        assertThat(log.at("/runs/0/automationDetails/id").asText()).isEqualTo("posture/scan-42");
        assertThat(log.at("/runs/0/columnKind").asText()).isEqualTo("utf16CodeUnits");
        assertThat(log.at("/runs/0/originalUriBaseIds/%SRCROOT%/uri").asText()).isEqualTo("file:///work/repo/");
    }

    @Test
    void everyFiredRuleOnceSortedWithConsistentRuleIndex() throws Exception {
        JsonNode log = sarif(full());
        JsonNode rules = log.at("/runs/0/tool/driver/rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).containsExactly("iam-wildcard-admin", "image-add-instead-of-copy", "image-run-as-root",
                "k8s-privileged", "lambda-missing-tracing", "lambda-public-invoke");
        for (JsonNode r : log.at("/runs/0/results")) {
            int index = r.get("ruleIndex").asInt();
            assertThat(rules.get(index).get("id").asText()).isEqualTo(r.get("ruleId").asText());
        }
        assertThat(log.at("/runs/0/results")).hasSize(7);
    }

    @Test
    void ruleMetadata() throws Exception {
        JsonNode rules = sarif(full()).at("/runs/0/tool/driver/rules");
        JsonNode priv = rules.get(3);
        assertThat(priv.get("id").asText()).isEqualTo("k8s-privileged");
        assertThat(priv.get("name").asText()).isEqualTo("K8sPrivileged");
        assertThat(priv.at("/shortDescription/text").asText()).isEqualTo("Privileged container");
        assertThat(priv.at("/fullDescription/text").asText()).startsWith("A privileged container");
        assertThat(priv.at("/help/text").asText()).contains("Remediation: Remove")
                .contains("https://kubernetes.io/docs/concepts/security/pod-security-standards/");
        assertThat(priv.at("/help/markdown").asText()).contains("**Remediation:**")
                .contains("<https://kubernetes.io/docs/concepts/security/pod-security-standards/>");
        assertThat(priv.get("helpUri").asText())
                .isEqualTo("https://kubernetes.io/docs/concepts/security/pod-security-standards/");
        assertThat(priv.at("/defaultConfiguration/level").asText()).isEqualTo("error");
        List<String> tags = new ArrayList<>();
        priv.at("/properties/tags").forEach(t -> tags.add(t.asText()));
        assertThat(tags).containsExactly("security", "container", "runtime", "privileged");
        assertThat(priv.at("/properties/precision").asText()).isEqualTo("high");
        assertThat(priv.at("/properties/security-severity").isTextual()).isTrue();
        assertThat(priv.at("/properties/security-severity").asText()).isEqualTo("9.5");

        JsonNode invoke = rules.get(5);
        assertThat(invoke.at("/fullDescription/text").asText()).isEqualTo("Function can be invoked by anyone");
        assertThat(invoke.has("helpUri")).isFalse();
        assertThat(invoke.at("/properties/security-severity").asText()).isEqualTo("8.0");
        JsonNode tracing = rules.get(4);
        assertThat(tracing.has("helpUri")).as("a reference that is not a URI is not a helpUri").isFalse();
        assertThat(tracing.at("/properties/security-severity").asText()).isEqualTo("2.0");
        assertThat(tracing.at("/defaultConfiguration/level").asText()).isEqualTo("note");
        assertThat(rules.get(2).at("/properties/security-severity").asText()).isEqualTo("5.5");
        assertThat(rules.get(2).at("/defaultConfiguration/level").asText()).isEqualTo("warning");
        assertThat(rules.get(1).at("/properties/security-severity").asText()).isEqualTo("0.0");
        assertThat(rules.get(1).at("/properties/tags/2").asText()).isEqualTo("supply-chain");
    }

    @Test
    void levelsFollowSeverity() {
        assertThat(SarifReportWriter.level(Severity.CRITICAL)).isEqualTo("error");
        assertThat(SarifReportWriter.level(Severity.HIGH)).isEqualTo("error");
        assertThat(SarifReportWriter.level(Severity.MEDIUM)).isEqualTo("warning");
        assertThat(SarifReportWriter.level(Severity.LOW)).isEqualTo("note");
        assertThat(SarifReportWriter.level(Severity.INFO)).isEqualTo("note");
    }

    @Test
    void pascalCaseNames() {
        assertThat(SarifReportWriter.pascalCase("iam-wildcard-admin")).isEqualTo("IamWildcardAdmin");
        assertThat(SarifReportWriter.pascalCase("POSTURE.K8S_001")).isEqualTo("PostureK8s001");
        assertThat(SarifReportWriter.pascalCase("--")).isEqualTo("Rule");
    }

    @Test
    void precisionCanBeOverriddenPerRule() throws Exception {
        SarifReportWriter w = new SarifReportWriter(SarifReportWriter.DEFAULT_INFORMATION_URI,
                r -> r.id().startsWith("image-") ? "medium" : null);
        JsonNode rules = M.readTree(w.writeToString(full())).at("/runs/0/tool/driver/rules");
        assertThat(rules.get(2).at("/properties/precision").asText()).isEqualTo("medium");
        assertThat(rules.get(3).at("/properties/precision").asText()).isEqualTo("high");
    }

    @Test
    void fileFindingWithLineAndColumn() throws Exception {
        JsonNode r = result(sarif(full()), F_PRIVILEGED);
        assertThat(r.get("ruleId").asText()).isEqualTo("k8s-privileged");
        assertThat(r.get("level").asText()).isEqualTo("error");
        assertThat(r.at("/message/text").asText()).isEqualTo("Container \"web\" runs privileged");
        JsonNode loc = r.at("/locations/0");
        assertThat(loc.at("/physicalLocation/artifactLocation/uri").asText()).isEqualTo("k8s/deploy.yaml");
        assertThat(loc.at("/physicalLocation/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(loc.at("/physicalLocation/region/startLine").asInt()).isEqualTo(21);
        assertThat(loc.at("/physicalLocation/region/startColumn").asInt()).isEqualTo(11);
        assertThat(loc.at("/logicalLocations/0/fullyQualifiedName").asText())
                .isEqualTo("Deployment/shop/web → containers[web]");
        assertThat(loc.at("/logicalLocations/0/kind").asText()).isEqualTo("resource");
        assertThat(r.at("/partialFingerprints/postureFingerprint~1v1").asText()).isEqualTo(F_PRIVILEGED.fingerprint());
        assertThat(r.get("baselineState").asText()).isEqualTo("new");
        assertThat(r.has("suppressions")).isFalse();
        assertThat(r.at("/properties/control").asText()).isEqualTo("privileged");
        assertThat(r.at("/properties/surface").asText()).isEqualTo("container");
        assertThat(r.at("/properties/theme").asText()).isEqualTo("runtime");
        assertThat(r.at("/properties/resource").asText()).isEqualTo("Deployment/shop/web");
        assertThat(r.at("/properties/container").asText()).isEqualTo("web");
        assertThat(r.at("/properties/target/type").asText()).isEqualTo("kubernetes");
        assertThat(r.at("/properties/target/name").asText()).isEqualTo("k8s/deploy.yaml");
    }

    @Test
    void fileFindingWithoutLineStartsAtLineOneAndPathIsEncoded() throws Exception {
        JsonNode r = result(sarif(full()), F_DEBUG);
        JsonNode phys = r.at("/locations/0/physicalLocation");
        assertThat(phys.at("/artifactLocation/uri").asText()).isEqualTo("k8s/debug%20pod.yaml");
        assertThat(phys.at("/region/startLine").asInt()).isEqualTo(1);
        assertThat(phys.at("/region").has("startColumn")).isFalse();
        assertThat(r.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText()).isEqualTo("Pod/shop/debug");
        assertThat(r.has("baselineState")).isFalse();
    }

    @Test
    void absolutePathUnderBaseDirBecomesRelative() throws Exception {
        JsonNode r = result(sarif(full()), F_ADMIN);
        JsonNode phys = r.at("/locations/0/physicalLocation");
        assertThat(phys.at("/artifactLocation/uri").asText()).isEqualTo("iam/policies/admin%20policy.json");
        assertThat(phys.at("/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(phys.at("/region/startLine").asInt()).isEqualTo(5);
        assertThat(phys.at("/region").has("startColumn")).isFalse();
        assertThat(r.get("baselineState").asText()).isEqualTo("unchanged");
        assertThat(r.at("/properties/evidence").asText()).isEqualTo("\"Action\": \"*\"");
    }

    @Test
    void liveLambdaGetsNoFileOnlyFunctionLogicalLocation() throws Exception {
        JsonNode r = result(sarif(full()), F_PUBLIC);
        assertThat(r.get("level").asText()).isEqualTo("error");
        JsonNode loc = r.at("/locations/0");
        assertThat(loc.has("physicalLocation")).as("a live function is no file; none is invented").isFalse();
        assertThat(loc.at("/logicalLocations/0/fullyQualifiedName").asText()).isEqualTo(ARN);
        assertThat(loc.at("/logicalLocations/0/kind").asText()).isEqualTo("function");
        assertThat(loc.at("/logicalLocations/1/fullyQualifiedName").asText())
                .isEqualTo("function Orders → resource policy → statement 1");
        assertThat(r.at("/properties/surface").asText()).isEqualTo("serverless");
    }

    @Test
    void imageGetsNoFileOnlyModuleLogicalLocation() throws Exception {
        JsonNode log = sarif(full());
        JsonNode r = result(log, F_ROOT);
        assertThat(r.get("level").asText()).isEqualTo("warning");
        JsonNode loc = r.at("/locations/0");
        assertThat(loc.has("physicalLocation")).isFalse();
        assertThat(loc.at("/logicalLocations/0/kind").asText()).isEqualTo("module");
        assertThat(loc.at("/logicalLocations/0/fullyQualifiedName").asText()).isEqualTo(IMAGE);
        assertThat(loc.get("logicalLocations")).as("logicalLocation equal to the image ref is not repeated").hasSize(1);
        JsonNode add = result(log, F_ADD);
        assertThat(add.get("level").asText()).isEqualTo("note");
        assertThat(add.at("/properties/path").asText()).isEqualTo("/app/config.yaml");
    }

    @Test
    void stdinFindingsNameNoFile() throws Exception {
        Rule rule = new Rule("x-rule", "X", Severity.LOW, Surface.SERVERLESS, Theme.IAM, "x", null, null, null);
        Target t = Target.scanned(TargetType.LAMBDA, "-", "-");
        Finding f = Finding.builder(rule, t.ref()).resource("Fn").location(Location.of("stdin", 12, 3))
                .logicalLocation("function Fn → role FnRole").build();
        JsonNode log = sarif(new ScanResult("posture", "dev", "s", Instant.EPOCH, "/work/repo", List.of(t), List.of(f),
                List.of(), List.of()));
        JsonNode loc = log.at("/runs/0/results/0/locations/0");
        assertThat(loc.has("physicalLocation")).isFalse();
        assertThat(loc.at("/logicalLocations/1/fullyQualifiedName").asText()).isEqualTo("function Fn → role FnRole");
    }

    @Test
    void suppressedFindingIsReportedAsAcceptedExternalSuppression() throws Exception {
        JsonNode r = result(sarif(full()), F_TRACING);
        assertThat(r.get("suppressions")).hasSize(1);
        JsonNode s = r.at("/suppressions/0");
        assertThat(s.get("kind").asText()).isEqualTo("external");
        assertThat(s.get("status").asText()).isEqualTo("accepted");
        assertThat(s.get("justification").asText()).isEqualTo("tracing via OpenTelemetry");
        assertThat(s.at("/properties/expires").asText()).isEqualTo("2027-01-31");
        assertThat(s.at("/properties/source").asText()).isEqualTo(".postureignore:3");
        assertThat(s.at("/properties/rule").asText()).isEqualTo("lambda-missing-tracing");
        assertThat(s.at("/properties/target").asText()).isEqualTo("arn:aws:lambda:*");
        assertThat(s.at("/properties").has("control")).isFalse();
        assertThat(r.get("level").asText()).isEqualTo("note");
    }

    @Test
    void failedTargetsAndWarningsBecomeNotifications() throws Exception {
        JsonNode inv = sarif(full()).at("/runs/0/invocations/0");
        assertThat(inv.get("executionSuccessful").asBoolean()).isFalse();
        assertThat(inv.get("startTimeUtc").asText()).isEqualTo("2026-11-26T10:15:30Z");
        JsonNode notes = inv.get("toolExecutionNotifications");
        assertThat(notes).hasSize(2);
        assertThat(notes.at("/0/level").asText()).isEqualTo("error");
        assertThat(notes.at("/0/message/text").asText())
                .contains("registry.example.com/broken:latest").contains("pull failed: 401 Unauthorized");
        assertThat(notes.at("/1/level").asText()).isEqualTo("warning");
        assertThat(notes.at("/1/message/text").asText()).contains("expired");

        JsonNode ok = sarif(empty()).at("/runs/0/invocations/0");
        assertThat(ok.get("executionSuccessful").asBoolean()).isTrue();
        assertThat(ok.get("toolExecutionNotifications")).isEmpty();
    }

    @Test
    void noBaseDirMeansNoOriginalUriBaseIds() throws Exception {
        JsonNode log = sarif(empty());
        assertThat(log.at("/runs/0").has("originalUriBaseIds")).isFalse();
        assertThat(log.at("/runs/0/results")).isEmpty();
        assertThat(log.at("/runs/0/tool/driver/rules")).isEmpty();
    }

    @Test
    void awkwardPathsStillValidate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Rule rule = new Rule("x-rule", "X", Severity.LOW, Surface.CONTAINER, Theme.CLUSTER, "x", null, null, null);
        Target t = Target.scanned(TargetType.KUBERNETES, "weird", null);
        List<Finding> fs = List.of(
                Finding.builder(rule, t.ref()).location(Location.of(".\\sub dir\\ä#1?.yaml", 3, 2)).build(),
                Finding.builder(rule, t.ref()).location(Location.of("../outside.yaml", 1, 1)).logicalPath("a").build(),
                Finding.builder(rule, t.ref()).location(Location.of("/elsewhere/x.yaml", 2, 0)).logicalPath("b").build(),
                Finding.builder(rule, t.ref()).location(Location.of("c:x.yaml", 2, 0)).logicalPath("c").build(),
                Finding.builder(rule, new dev.posture.model.TargetRef(TargetType.IAM, "../../etc/passwd"))
                        .logicalPath("d").build());
        ScanResult r = new ScanResult("posture", "dev", "s", Instant.EPOCH, dir.resolve("repo with space").toString(),
                List.of(t), fs, List.of(), List.of());
        JsonNode log = sarif(r);
        JsonNode results = log.at("/runs/0/results");
        assertThat(results.at("/0/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("sub%20dir/%C3%A4%231%3F.yaml");
        assertThat(results.at("/1/locations/0/physicalLocation/artifactLocation/uri").asText())
                .startsWith("file:///").endsWith("/outside.yaml");
        assertThat(results.at("/1/locations/0/physicalLocation/artifactLocation").has("uriBaseId")).isFalse();
        assertThat(results.at("/2/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("file:///elsewhere/x.yaml");
        assertThat(results.at("/3/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("c%3Ax.yaml");
        assertThat(results.at("/4/locations/0").has("physicalLocation")).as("no file, none invented").isFalse();
        assertThat(results.at("/4/locations/0/logicalLocations/0/fullyQualifiedName").asText())
                .isEqualTo("../../etc/passwd");
        assertThat(log.at("/runs/0/originalUriBaseIds/%SRCROOT%/uri").asText())
                .startsWith("file:///").endsWith("/repo%20with%20space/");
        assertThat(log.at("/runs/0/tool/driver").has("semanticVersion")).isFalse();
    }
}
