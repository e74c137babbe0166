package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code posture scan --policy DIR}: bring-your-own policies from the command line. */
class PolicyOptionTest {
    static final String MANIFESTS = Cli.fixture("policies/manifests");

    static String policy(String dir) {
        return Cli.fixture("policies/" + dir);
    }

    static List<JsonNode> findings(Cli c, String rulePrefix) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(c.out()).get("findings")) {
            if (f.get("ruleId").asText().startsWith(rulePrefix)) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void conftestDenyFailsTheGateAtHighLikeConftestFails() throws IOException {
        Cli c = Cli.run("scan", MANIFESTS, "--policy", policy("conftest"), "-f", "json", "--fail-on", "high");
        assertThat(c.exit()).as(c.err()).isEqualTo(ExitCodes.FINDINGS);
        List<JsonNode> deny = findings(c, "conftest/main/deny_latest_tag");
        assertThat(deny).hasSize(3);
        assertThat(deny).allMatch(f -> f.get("control").asText().equals("custom"));
        assertThat(deny).anyMatch(f -> f.get("resource").asText().equals("Deployment/shop/legacy")
                && f.at("/location/line").asInt() == 34 && !f.get("fingerprint").asText().isEmpty());
        // the bundled rules alone do not fail at high on these manifests
        Cli builtIn = Cli.run("scan", MANIFESTS, "-f", "json", "--fail-on", "high");
        assertThat(builtIn.exit()).as(builtIn.err()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void everyConventionAtOnceAndTheImageTrivyChecks() throws IOException {
        Cli c = Cli.run("scan", MANIFESTS, Cli.fixture("demo/images/storefront.tar"), "--policy", policy("native"),
                "--policy", policy("conftest"), "--policy", policy("gatekeeper"), "--policy", policy("trivy"), "-f", "json");
        assertThat(c.exit()).as(c.err()).isEqualTo(ExitCodes.OK);
        assertThat(findings(c, "acme-owner-label")).hasSize(3);
        assertThat(findings(c, "gatekeeper/")).hasSize(3);
        assertThat(findings(c, "ACME-K8S-001")).hasSize(3);
        // the image: a native posture.image package and the Trivy dockerfile checks
        assertThat(findings(c, "acme-image-source-label")).hasSize(1);
        List<JsonNode> user = findings(c, "ACME-DS-001");
        assertThat(user).hasSize(1);
        assertThat(user.get(0).get("severity").asText()).isEqualTo("critical");
        assertThat(user.get(0).get("resource").asText()).isEqualTo("posture-demo/storefront:1.0");
        List<JsonNode> curl = findings(c, "ACME-DS-002");
        assertThat(curl).hasSize(1);
        assertThat(curl.get(0).get("logicalLocation").asText()).matches("posture-demo/storefront:1.0 → history\\[\\d+]");
    }

    @Test
    void policiesAreConfigurationABadOneStopsTheScanWithExit2() {
        Cli unknown = Cli.run("scan", MANIFESTS, "--policy", policy("bad-unknown"));
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("bad-unknown/helpers.rego: package acme.helpers follows none of the conventions");
        assertThat(unknown.out()).isEmpty();
        Cli broken = Cli.run("scan", MANIFESTS, "--policy", policy("bad-compile"));
        assertThat(broken.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(broken.err()).containsPattern("bad-compile/broken\\.rego:\\d+:\\d+: rego_parse_error");
        Cli template = Cli.run("scan", MANIFESTS, "--policy", policy("bad-template"));
        assertThat(template.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(template.err()).contains("bad-template/template.yaml:17:").contains("rego_parse_error");
        Cli collision = Cli.run("scan", MANIFESTS, "--policy", policy("bad-collision"));
        assertThat(collision.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(collision.err()).contains("rule id k8s-privileged").contains("built-in rule");
        Cli yaml = Cli.run("scan", MANIFESTS, "--policy", policy("bad-yaml"));
        assertThat(yaml.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(yaml.err()).contains("bad-yaml/example.yaml:1:1: a Pod (v1) is neither");
        Cli missing = Cli.run("scan", MANIFESTS, "--policy", policy("nope"));
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope: no such file or directory");
        Cli ns = Cli.run("scan", MANIFESTS, "--namespace", "x");
        assertThat(ns.exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aV0ConftestPolicyWithAnExceptionForThePlainDeny() throws IOException {
        Cli c = Cli.run("scan", MANIFESTS, "--policy", policy("conftest-v0"), "-f", "json");
        assertThat(c.exit()).as(c.err()).isEqualTo(ExitCodes.OK);
        List<JsonNode> deny = findings(c, "conftest/main/deny");
        assertThat(deny).extracting(f -> f.get("resource").asText()).containsExactlyInAnyOrder(
                "Deployment/kube-system/agent", "Deployment/shop/exempt", "Deployment/shop/legacy");
        // rules = [""] excepts the plain deny in kube-system
        assertThat(deny).filteredOn(f -> f.get("resource").asText().equals("Deployment/kube-system/agent"))
                .singleElement().matches(f -> f.get("suppressed").isObject());
        assertThat(deny).filteredOn(f -> !f.get("resource").asText().contains("kube-system"))
                .noneMatch(f -> f.path("suppressed").isObject());
    }

    @Test
    void namespaceChoosesConftestPackages() throws IOException {
        // package kubernetes is a library of main; as a namespace it defines no rule: nothing from main then
        Cli c = Cli.run("scan", MANIFESTS, "--policy", policy("conftest"), "--namespace", "kubernetes", "-f", "json");
        assertThat(c.exit()).as(c.err()).isEqualTo(ExitCodes.USAGE); // main is then no convention, nor a library
        assertThat(c.err()).contains("deployment.rego: package main follows none of the conventions");
        Cli both = Cli.run("scan", MANIFESTS, "--policy", policy("conftest"), "--namespace", "main", "--namespace",
                "kubernetes", "-f", "json");
        assertThat(both.exit()).as(both.err()).isEqualTo(ExitCodes.OK);
        assertThat(findings(both, "conftest/main/")).isNotEmpty();
    }

    @Test
    void policyTestRunsTestsBesideGatekeeperTemplatesAndConftestPolicies() {
        Cli gk = Cli.run("policy", "test", policy("gatekeeper"));
        assertThat(gk.exit()).as(gk.out() + gk.err()).isEqualTo(0);
        assertThat(gk.out()).contains("2 passed, 0 failed");
        Cli conftest = Cli.run("policy", "test", policy("conftest"));
        assertThat(conftest.exit()).as(conftest.out() + conftest.err()).isEqualTo(0);
        assertThat(conftest.out()).contains("2 passed, 0 failed");
    }
}
