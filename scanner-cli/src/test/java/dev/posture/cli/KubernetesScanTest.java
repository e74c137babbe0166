package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.report.SarifSchemaValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes manifests through the real CLI entry point, with the bundled policies. */
class KubernetesScanTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEMO = fixture("demo");
    static final String STOREFRONT = fixture("demo/k8s/storefront.yaml");

    static List<JsonNode> findings(JsonNode report, String control) {
        List<JsonNode> out = new ArrayList<>();
        report.get("findings").forEach(f -> {
            if (f.get("control").asText().equals(control)) {
                out.add(f);
            }
        });
        return out;
    }

    static JsonNode one(JsonNode report, String control, String resource) {
        List<JsonNode> hits = findings(report, control).stream()
                .filter(f -> f.get("resource").asText().equals(resource)).toList();
        assertThat(hits).as("%s on %s in %s", control, resource, report.get("findings")).hasSize(1);
        return hits.get(0);
    }

    @Test
    void theDemoReportsBothSurfaces() throws Exception {
        Cli r = run("scan", DEMO, "-f", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = JSON.readTree(r.out());
        JsonNode k8s = null;
        for (JsonNode t : report.get("targets")) {
            if (t.get("name").asText().equals(STOREFRONT)) {
                k8s = t;
            }
        }
        assertThat(k8s).isNotNull();
        assertThat(k8s.get("type").asText()).isEqualTo("kubernetes");
        assertThat(k8s.get("status").asText()).isEqualTo("scanned");

        JsonNode priv = one(report, "privileged", "Deployment/default/storefront");
        assertThat(priv.get("ruleId").asText()).isEqualTo("k8s-privileged");
        assertThat(priv.get("severity").asText()).isEqualTo("critical");
        assertThat(priv.get("surface").asText()).isEqualTo("container");
        assertThat(priv.get("container").asText()).isEqualTo("web");
        assertThat(priv.at("/location/file").asText()).isEqualTo(STOREFRONT);
        assertThat(priv.at("/location/line").asInt()).isEqualTo(26);
        assertThat(priv.get("logicalLocation").asText()).contains("container web", "securityContext.privileged");

        assertThat(one(report, "host-network", "Deployment/default/storefront").at("/location/line").asInt()).isEqualTo(18);
        assertThat(one(report, "hostport", "Deployment/default/storefront").at("/location/line").asInt()).isEqualTo(24);
        assertThat(one(report, "docker-socket-mount", "Deployment/default/storefront").at("/location/line").asInt())
                .isEqualTo(37);
        assertThat(one(report, "image-latest-tag", "Deployment/default/storefront").at("/location/line").asInt())
                .isEqualTo(21);
        JsonNode secret = one(report, "secret-in-env", "Deployment/default/storefront");
        assertThat(secret.at("/location/line").asInt()).isEqualTo(30);
        assertThat(r.out()).doesNotContain("hunter2-prod-password");
        assertThat(one(report, "service-nodeport", "Service/default/storefront").at("/location/line").asInt())
                .isEqualTo(44);
        JsonNode admin = one(report, "rbac-cluster-admin-binding", "ClusterRoleBinding//storefront-admin");
        assertThat(admin.at("/location/line").asInt()).isEqualTo(59);

        assertThat(report.at("/summary/serverless/critical").asInt()).isPositive();
        assertThat(report.at("/summary/container/critical").asInt()).isPositive();
    }

    @Test
    void theDemoTableShowsBothSurfaceRowsNonZero() {
        Cli r = Cli.runWithStdin("", Map.of("POSTURE_STDOUT_TTY", "1", "NO_COLOR", "1"), "scan", DEMO);
        String table = r.out();
        assertThat(table).contains("kubernetes " + STOREFRONT + "  scanned");
        String serverless = table.lines().filter(l -> l.startsWith("serverless ")).findFirst().orElseThrow();
        String container = table.lines().filter(l -> l.startsWith("container ")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(serverless.trim().replaceAll(".*\\s", ""))).isPositive();
        assertThat(Integer.parseInt(container.trim().replaceAll(".*\\s", ""))).isPositive();
    }

    @Test
    void stdinLikeHelmTemplateOutput() throws Exception {
        String helm = """
                ---
                # Source: shop/templates/deployment.yaml
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: shop-web
                  namespace: shop
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          image: "registry.example.com/web:1.2"
                          securityContext:
                            privileged: true
                ---
                # Source: shop/templates/empty.yaml
                """;
        Cli r = Cli.runWithStdin(helm, Map.of(), "scan", "-", "-f", "json");
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/targets/0/type").asText()).isEqualTo("kubernetes");
        assertThat(report.at("/targets/0/status").asText()).isEqualTo("scanned");
        JsonNode priv = one(report, "privileged", "Deployment/shop/shop-web");
        assertThat(priv.at("/location/file").asText()).isEqualTo("stdin");
        assertThat(priv.at("/location/line").asInt()).isEqualTo(15);
        assertThat(priv.get("container").asText()).isEqualTo("web");
    }

    @Test
    void ignoreAnnotationsAreSuppressionsInJsonAndSarifAndNoIgnoreFileLiftsThem(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("web.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: debug
                  namespace: ops
                  annotations:
                    posture.dev/ignore: k8s-privileged,k8s-host-pid
                    posture.dev/ignore-reason: break-glass debug pod, SEC-7
                spec:
                  hostPID: true
                  containers:
                    - name: sh
                      image: busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000
                      securityContext: {privileged: true}
                """);
        Cli r = run("scan", f.toString(), "-f", "json", "--fail-on", "critical");
        JsonNode report = JSON.readTree(r.out());
        JsonNode priv = one(report, "privileged", "Pod/ops/debug");
        assertThat(priv.at("/suppressed/reason").asText()).isEqualTo("break-glass debug pod, SEC-7");
        assertThat(priv.at("/suppressed/source").asText()).isEqualTo("annotation on Pod/ops/debug (" + f + ":7:5)");
        assertThat(priv.at("/suppressed/rule").asText()).isEqualTo("k8s-privileged");
        assertThat(one(report, "host-pid", "Pod/ops/debug").at("/suppressed/reason").asText()).isNotBlank();
        assertThat(report.at("/summary/suppressed").asInt()).isEqualTo(2);

        Cli sarif = run("scan", f.toString(), "-f", "sarif");
        JsonNode s = JSON.readTree(sarif.out());
        SarifSchemaValidator.assertValid(s);
        boolean found = false;
        for (JsonNode res : s.at("/runs/0/results")) {
            if (res.get("ruleId").asText().equals("k8s-privileged")) {
                found = true;
                assertThat(res.at("/suppressions/0/kind").asText()).isEqualTo("external");
                assertThat(res.at("/suppressions/0/justification").asText()).isEqualTo("break-glass debug pod, SEC-7");
                assertThat(res.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(14);
            }
        }
        assertThat(found).isTrue();

        // audits: --no-ignore-file applies no suppression at all, annotations included
        Cli audit = run("scan", f.toString(), "-f", "json", "--no-ignore-file", "--fail-on", "critical");
        assertThat(audit.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(one(JSON.readTree(audit.out()), "privileged", "Pod/ops/debug").get("suppressed").asBoolean()).isFalse();
    }

    @Test
    void aBrokenDocumentFailsItsFileWithTheLineAndTheRestIsReported(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("two.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: a}
                spec:
                  containers:
                  	- name: tab-indented
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b}
                spec:
                  containers: [{name: c, securityContext: {privileged: true}}]
                """);
        Cli r = run("scan", f.toString(), "-f", "json", "--fail-on", "critical");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/targets/0/status").asText()).isEqualTo("failed");
        assertThat(report.at("/targets/0/error").asText()).startsWith(f + ":6").contains("invalid YAML");
        assertThat(one(report, "privileged", "Pod/default/b").at("/location/line").asInt()).isEqualTo(12);
        assertThat(r.err()).contains("scan incomplete");
    }
}
