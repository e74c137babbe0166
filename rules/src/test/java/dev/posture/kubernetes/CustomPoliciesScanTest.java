package dev.posture.kubernetes;

import dev.posture.model.Finding;
import dev.posture.model.Severity;
import dev.posture.model.TargetStatus;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicySources;
import dev.posture.policy.custom.CustomPolicies;
import dev.posture.policy.custom.CustomPolicyLoader;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The bring-your-own conventions over fixtures/policies/manifests, with the bundled policies. */
class CustomPoliciesScanTest {
    static final Path FIXTURES = Path.of("..", "fixtures", "policies").normalize();
    static final String MANIFESTS = FIXTURES.resolve("manifests/shop.yaml").toString();
    static ScanResult result;

    static ScanResult scan() throws Exception {
        CustomPolicies custom = CustomPolicyLoader.load(List.of(FIXTURES.resolve("native"), FIXTURES.resolve("conftest"),
                FIXTURES.resolve("gatekeeper"), FIXTURES.resolve("trivy")), List.of());
        KubernetesAnalyzer a = new KubernetesAnalyzer(() -> PolicySources.bundled("policies/kubernetes"),
                new EmbeddedRegoEngine(), EvalLimits.DEFAULT, custom);
        return K8sScan.scan(a, List.of(MANIFESTS), null, 2);
    }

    @BeforeAll
    static void run() throws Exception {
        result = scan();
    }

    static List<Finding> of(String rule) {
        return result.findings().stream().filter(f -> f.rule().id().equals(rule)).toList();
    }

    static Set<String> resources(String rule) {
        return of(rule).stream().map(Finding::resource).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Test
    void theFileIsScanned() {
        assertThat(result.targets()).extracting(t -> t.status()).containsOnly(TargetStatus.SCANNED);
    }

    @Test
    void nativePackagesRunWithTheBuiltInOnes() {
        assertThat(resources("acme-owner-label")).containsExactly("Deployment/kube-system/agent", "Deployment/shop/exempt",
                "Deployment/shop/legacy");
        Finding legacy = of("acme-owner-label").stream().filter(f -> f.resource().equals("Deployment/shop/legacy")).findFirst().orElseThrow();
        assertThat(legacy.location().line()).isEqualTo(39); // metadata.labels of legacy
        assertThat(legacy.location().column()).isEqualTo(3);
        assertThat(legacy.rule().control()).isEqualTo("custom");
        assertThat(legacy.rule().severity()).isEqualTo(Severity.MEDIUM);
        assertThat(legacy.message()).isEqualTo("Deployment 'legacy' has no owner label");
        assertThat(legacy.logicalLocation()).isEqualTo("Deployment/shop/legacy → metadata.labels");
        // built-in rules still run
        assertThat(resources("k8s-image-latest-tag")).hasSize(3);
    }

    @Test
    void postureInventoryMovedToDataPostureInventory() {
        // the ServiceAccount 'api' is in the scan: the built-in automount rule finds it in data.posture.inventory
        Finding api = of("k8s-automount-sa-token").stream().filter(f -> f.resource().equals("Deployment/shop/api"))
                .findFirst().orElseThrow();
        assertThat(api.message()).doesNotContain("not among the scanned resources");
        Finding agent = of("k8s-automount-sa-token").stream().filter(f -> f.resource().equals("Deployment/kube-system/agent"))
                .findFirst().orElseThrow();
        assertThat(agent.message()).contains("not among the scanned resources");
    }

    @Test
    void conftestDenyViolationWarnAndExceptions() {
        assertThat(resources("conftest/main/deny_latest_tag")).containsExactly("Deployment/kube-system/agent",
                "Deployment/shop/exempt", "Deployment/shop/legacy");
        assertThat(of("conftest/main/deny_latest_tag")).allMatch(f -> f.rule().severity() == Severity.HIGH);
        Finding exempt = of("conftest/main/deny_latest_tag").stream().filter(f -> f.resource().equals("Deployment/shop/exempt"))
                .findFirst().orElseThrow();
        assertThat(exempt.suppressed()).isTrue();
        assertThat(exempt.suppression().reason()).contains("exception").contains("latest_tag");
        assertThat(of("conftest/main/deny_latest_tag")).filteredOn(f -> !f.resource().endsWith("exempt"))
                .noneMatch(Finding::suppressed);
        assertThat(resources("conftest/main/violation")).containsExactly("Deployment/kube-system/agent");
        assertThat(of("conftest/main/violation").get(0).message()).isEqualTo("agent has no app label");
        assertThat(resources("conftest/main/warn_service_account")).containsExactly("Deployment/kube-system/agent",
                "Deployment/shop/exempt");
        assertThat(of("conftest/main/warn_service_account")).allMatch(f -> f.rule().severity() == Severity.LOW);
        assertThat(of("conftest/main/violation").get(0).location().line()).isEqualTo(70);
    }

    @Test
    void severalMessagesOfOneRuleOnOneObjectAreSeveralFindings() {
        List<Finding> agent = of("conftest/main/deny").stream().filter(f -> f.resource().equals("Deployment/kube-system/agent")).toList();
        assertThat(agent).extracting(Finding::message).containsExactlyInAnyOrder("agent has no app label", "agent has no tier label");
        assertThat(agent.get(0).fingerprint()).isNotEqualTo(agent.get(1).fingerprint());
        assertThat(resources("conftest/main/deny")).hasSize(4);
    }

    @Test
    void gatekeeperConstraintsWithTheirMatch() {
        // kube-* excluded, 'exempt' excluded by its label, 'api' has the label; the namespace selector matches shop
        assertThat(resources("gatekeeper/AcmeRequiredLabels/deployments-have-owner")).containsExactly("Deployment/shop/legacy");
        Finding legacy = of("gatekeeper/AcmeRequiredLabels/deployments-have-owner").get(0);
        assertThat(legacy.message()).isEqualTo("Deployment shop/legacy lacks label(s) [\"owner\"] (CREATE)");
        assertThat(legacy.rule().severity()).isEqualTo(Severity.HIGH);
        assertThat(legacy.rule().title()).isEqualTo("Required labels (constraint deployments-have-owner)");
        assertThat(legacy.location().line()).isEqualTo(34);
        Finding ns = of("gatekeeper/AcmeRequiredLabels/namespaces-have-team").get(0);
        assertThat(ns.resource()).isEqualTo("Namespace//shop");
        assertThat(ns.rule().severity()).isEqualTo(Severity.LOW); // enforcementAction: warn
        assertThat(ns.message()).contains("cost-center").doesNotContain("\"team\"");
        // referential: the ServiceAccount from data.inventory.namespace[ns]["v1"]["ServiceAccount"]
        assertThat(resources("gatekeeper/AcmeServiceAccountExists/service-accounts-exist")).containsExactly("Deployment/shop/legacy");
        assertThat(of("gatekeeper/AcmeServiceAccountExists/service-accounts-exist").get(0).rule().severity())
                .isEqualTo(Severity.INFO); // dryrun
    }

    @Test
    void trivyChecksCarryTheirIdAndSeverity() {
        assertThat(resources("ACME-K8S-001")).containsExactly("Deployment/kube-system/agent", "Deployment/shop/exempt",
                "Deployment/shop/legacy");
        Finding f = of("ACME-K8S-001").get(0);
        assertThat(f.rule().severity()).isEqualTo(Severity.HIGH);
        assertThat(f.rule().title()).isEqualTo("Image tag ':latest' used");
        assertThat(f.rule().remediation()).isEqualTo("Pin the image to a version or a digest.");
        assertThat(f.rule().helpUri()).isEqualTo("https://example.com/acme/checks/ACME-K8S-001");
        assertThat(f.message()).startsWith("Container '");
        // the cause's line, from the __defsec_metadata Trivy's parser puts on every mapping, leads to its field
        Finding legacy = of("ACME-K8S-001").stream().filter(x -> x.resource().equals("Deployment/shop/legacy")).findFirst().orElseThrow();
        assertThat(legacy.location().line()).isEqualTo(49);
        assertThat(legacy.logicalLocation()).isEqualTo("Deployment/shop/legacy → spec.template.spec.containers[name=legacy]");
    }

    @Test
    void fingerprintsAreStable() throws Exception {
        Set<String> again = scan().findings().stream().map(Finding::fingerprint).collect(Collectors.toSet());
        assertThat(again).isEqualTo(result.findings().stream().map(Finding::fingerprint).collect(Collectors.toSet()));
        assertThat(result.findings().stream().map(Finding::fingerprint).distinct().count()).isEqualTo(result.findings().size());
    }
}
