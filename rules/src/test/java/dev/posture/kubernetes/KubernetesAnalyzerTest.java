package dev.posture.kubernetes;

import dev.posture.model.Finding;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.TargetType;
import dev.posture.policy.EvalLimits;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesAnalyzerTest {

    static final String WEB = """
            # a comment line
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
            spec:
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: sidecar
                      image: envoy
                    - name: web
                      image: nginx
                      securityContext:
                        privileged: true
            """;

    static List<Finding> control(ScanResult r, String control) {
        return r.findings().stream().filter(f -> f.rule().control().equals(control)).toList();
    }

    static Target target(ScanResult r, Path p) {
        return r.targets().stream().filter(t -> t.name().equals(p.toString())).findFirst().orElseThrow();
    }

    @Test
    void privilegedContainerIsReportedAtItsLineWithResourceContainerAndRuleMetadata(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("web.yaml"), WEB);
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        assertThat(target(r, f).status()).isEqualTo(TargetStatus.SCANNED);
        assertThat(target(r, f).type()).isEqualTo(TargetType.KUBERNETES);
        Finding p = control(r, "privileged").get(0);
        assertThat(p.rule().id()).isEqualTo("k8s-privileged");
        assertThat(p.rule().title()).isEqualTo("Container runs privileged");
        assertThat(p.rule().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(p.rule().surface()).isEqualTo(Surface.CONTAINER);
        assertThat(p.rule().helpUri()).isEqualTo("https://kubernetes.io/docs/concepts/security/pod-security-standards/");
        assertThat(p.resource()).isEqualTo("Deployment/shop/web");
        assertThat(p.container()).isEqualTo("web");
        assertThat(p.location().file()).isEqualTo(f.toString());
        assertThat(p.location().line()).isEqualTo(18);
        assertThat(p.location().column()).isEqualTo(13);
        assertThat(p.logicalLocation()).isEqualTo("Deployment/shop/web → container web → "
                + "spec.template.spec.containers[name=web].securityContext.privileged");
        assertThat(p.message()).isEqualTo("container \"web\" runs privileged");
        // the path [] of a cross-resource rule: the resource's first line (not the comment above it)
        Finding np = control(r, "missing-network-policy").get(0);
        assertThat(np.location().line()).isEqualTo(2);
        assertThat(np.container()).isNull();
    }

    @Test
    void multiDocumentFilesAndListsKeepEachObjectsOwnLines(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("all.yaml"), """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: a}
                    spec:
                      containers:
                        - name: c
                          securityContext: {privileged: true}
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: b, namespace: other}
                    spec:
                      volumes:
                        - name: root
                          hostPath: {path: /}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: admins, namespace: ignored}
                roleRef: {kind: ClusterRole, name: cluster-admin}
                """);
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        Finding priv = control(r, "privileged").get(0);
        assertThat(priv.resource()).isEqualTo("Pod/default/a");
        assertThat(priv.location().line()).isEqualTo(10);
        Finding host = control(r, "host-path").get(0);
        assertThat(host.resource()).isEqualTo("Pod/other/b");
        assertThat(host.location().line()).isEqualTo(17);
        Finding crb = control(r, "cluster-admin-binding").get(0);
        assertThat(crb.resource()).isEqualTo("ClusterRoleBinding//admins");
        assertThat(crb.location().line()).isEqualTo(22);
        assertThat(crb.rule().severity()).isEqualTo(Severity.HIGH); // METADATA before the package line, no scope
    }

    @Test
    void networkPolicyInAnotherFileCoversTheWorkload(@TempDir Path dir) throws IOException {
        Path web = Files.writeString(dir.resolve("web.yaml"), WEB);
        assertThat(control(K8sScan.scan(List.of(web.toString())), "missing-network-policy")).hasSize(1);
        Files.writeString(dir.resolve("np.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                """);
        assertThat(control(K8sScan.scan(List.of(dir.toString())), "missing-network-policy")).isEmpty();
    }

    @Test
    void fingerprintsIgnoreLinesAndNameListItemsByName(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("web.yaml"), WEB);
        String before = control(K8sScan.scan(List.of(f.toString())), "privileged").get(0).fingerprint();
        Files.writeString(f, "\n\n# moved down\n" + WEB.replace("""
                    - name: sidecar
                      image: envoy
                """, ""));
        Finding after = control(K8sScan.scan(List.of(f.toString())), "privileged").get(0);
        assertThat(after.location().line()).isNotEqualTo(18);
        assertThat(after.fingerprint()).isEqualTo(before);
    }

    @Test
    void ignoreAnnotationSuppressesWithReasonAndSource(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("web.yaml"), WEB.replace("""
                  namespace: shop
                """, """
                  namespace: shop
                  annotations:
                    posture.dev/ignore: "k8s-privileged, k8s-nonexistent"
                    posture.dev/ignore-reason: needs /dev/kvm, SEC-42
                """));
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        Finding p = control(r, "privileged").get(0);
        assertThat(p.suppressed()).isTrue();
        assertThat(p.suppression().reason()).isEqualTo("needs /dev/kvm, SEC-42");
        assertThat(p.suppression().source()).isEqualTo("annotation on Deployment/shop/web (" + f + ":8:5)");
        assertThat(p.suppression().rule()).isEqualTo("k8s-privileged");
        assertThat(control(r, "missing-network-policy").get(0).suppressed()).isFalse();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("k8s-nonexistent", "no rule of this scan"));
        // without a reason nothing is suppressed
        Files.writeString(f, WEB.replace("""
                  namespace: shop
                """, """
                  namespace: shop
                  annotations: {posture.dev/ignore: k8s-privileged}
                """));
        ScanResult noReason = K8sScan.scan(List.of(f.toString()));
        assertThat(control(noReason, "privileged").get(0).suppressed()).isFalse();
        assertThat(noReason.warnings()).anySatisfy(w -> assertThat(w).contains("has no posture.dev/ignore-reason"));
    }

    @Test
    void scalarsAreTypedAsKubectlReadsThem(@TempDir Path dir) throws IOException {
        // kubectl (sigs.k8s.io/yaml, go-yaml v2) reads "yes" as true: the cluster runs this container privileged
        Path f = Files.writeString(dir.resolve("yes.yaml"), WEB.replace("privileged: true", "privileged: yes"));
        assertThat(control(K8sScan.scan(List.of(f.toString())), "privileged")).hasSize(1);
        Path quoted = Files.writeString(dir.resolve("quoted.yaml"), WEB.replace("privileged: true", "privileged: \"yes\""));
        assertThat(control(K8sScan.scan(List.of(quoted.toString())), "privileged")).isEmpty();
    }

    @Test
    void aKeyWrittenTwiceIsReadWithItsLastValueAndNamedInAWarning(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("dup.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                  containers:
                    - name: c
                      image: nginx:1.25
                      securityContext:
                        privileged: false
                        privileged: true
                """);
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        assertThat(control(r, "privileged")).singleElement()
                .satisfies(x -> assertThat(x.location().line()).isEqualTo(11));
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
                .contains(f + ":11:9: key 'privileged' is written twice in one mapping (lines 10 and 11)"));
    }

    @Test
    void aBrokenDocumentFailsTheFileWithItsLineAndTheOtherDocumentsAreStillChecked(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("three.yaml"), WEB + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: broken
                data:
                  a: [unclosed
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: after}
                spec:
                  containers:
                    - {name: c, securityContext: {privileged: true}}
                """);
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        Target t = target(r, f);
        assertThat(t.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(t.error()).startsWith(f + ":2").contains("invalid YAML").contains("other 2 document(s) were checked");
        assertThat(control(r, "privileged")).extracting(Finding::resource)
                .containsExactlyInAnyOrder("Deployment/shop/web", "Pod/default/after");
        assertThat(control(r, "privileged")).filteredOn(x -> x.resource().equals("Pod/default/after"))
                .singleElement().satisfies(x -> assertThat(x.location().line()).isEqualTo(32));
    }

    @Test
    void aPolicyOverItsStepBudgetFailsThatResourceOnly(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), WEB + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: hostile}
                spec: {containers: [{name: c}]}
                """);
        Path good = Files.writeString(dir.resolve("good.yaml"), WEB);
        KubernetesAnalyzer a = K8sScan.analyzer(new EvalLimits(200_000, Duration.ofSeconds(30)), K8sScan.HOSTILE);
        ScanResult r = K8sScan.scan(a, List.of(bad.toString(), good.toString()), null, 2);
        Target t = target(r, bad);
        assertThat(t.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(t.error()).contains("Pod/default/hostile", "k8s-burn", "posture.kubernetes.burn", "step budget");
        assertThat(target(r, good).status()).isEqualTo(TargetStatus.SCANNED);
        // the other resources of the failed file, and the other rules on the hostile resource, still count
        assertThat(control(r, "privileged")).hasSize(2);
        assertThat(control(r, "missing-network-policy")).extracting(Finding::resource).contains("Pod/default/hostile");
    }

    @Test
    void aDeadlineFailsThatResourceOnly(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: hostile}
                spec: {containers: [{name: c}]}
                """);
        KubernetesAnalyzer a = K8sScan.analyzer(new EvalLimits(Long.MAX_VALUE, Duration.ofMillis(20)), K8sScan.HOSTILE);
        ScanResult r = K8sScan.scan(a, List.of(bad.toString()), null, 1);
        assertThat(target(r, bad).error()).contains("Pod/default/hostile", "k8s-burn", "deadline");
    }

    @Test
    void customResourcesAreInventoriedAndCountedNotJudged(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("crd.yaml"), """
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata: {name: hello}
                spec:
                  template:
                    spec:
                      containers: [{name: c, securityContext: {privileged: true}}]
                ---
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: tls}
                """);
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        assertThat(target(r, f).status()).isEqualTo(TargetStatus.SCANNED);
        assertThat(r.findings()).isEmpty();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
                .contains("2 custom resource(s) inventoried, not checked", "Certificate (cert-manager.io) ×1",
                        "Service (serving.knative.dev) ×1"));
    }

    @Test
    void secretsInMessagesAreMasked(@TempDir Path dir) throws IOException {
        String token = "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi";
        Path f = Files.writeString(dir.resolve("env.yaml"), WEB.replace("image: nginx", """
                image: nginx
                          env:
                            - {name: GITHUB_TOKEN, value: %s}""".formatted(token)));
        ScanResult r = K8sScan.scan(List.of(f.toString()));
        Finding s = control(r, "secret-in-env").get(0);
        assertThat(s.message()).doesNotContain(token).endsWith("secret: gh****");
        assertThat(s.location().line()).isEqualTo(18);
        // a value of no known shape: a rule about secrets points at it, so it is masked where a message quotes it
        Files.writeString(f, WEB.replace("image: nginx", """
                image: nginx
                          env:
                            - {name: DB_PASSWORD, value: hunter2-prod-password}"""));
        Finding plain = control(K8sScan.scan(List.of(f.toString())), "secret-in-env").get(0);
        assertThat(plain.message()).doesNotContain("hunter2").endsWith("secret: hu****");
    }

    @Test
    void policiesThatDoNotCompileFailEveryManifestWithTheReason(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("web.yaml"), WEB);
        KubernetesAnalyzer broken = new KubernetesAnalyzer(() -> List.of(new dev.posture.policy.PolicyModule(
                "policies/kubernetes/broken.rego", "package posture.kubernetes.broken\n\ndeny contains 1 if {\n")),
                new dev.posture.policy.EmbeddedRegoEngine(), EvalLimits.DEFAULT);
        ScanResult r = K8sScan.scan(broken, List.of(f.toString()), null, 1);
        assertThat(target(r, f).status()).isEqualTo(TargetStatus.FAILED);
        assertThat(target(r, f).error()).startsWith("the Kubernetes policies could not be loaded: ")
                .contains("policies/kubernetes/broken.rego");
    }

    @Test
    void stdinIsOneTarget() {
        ScanResult r = K8sScan.scan(K8sScan.analyzer(EvalLimits.DEFAULT), List.of("-"), WEB, 1);
        assertThat(r.targets()).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo(TargetType.KUBERNETES);
            assertThat(t.status()).isEqualTo(TargetStatus.SCANNED);
        });
        assertThat(control(r, "privileged").get(0).location().toString()).isEqualTo("stdin:18:13");
    }

    @Test
    void manyResourcesOnSeveralThreadsGiveTheSameFindingsAsOne(@TempDir Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append(WEB.replace("name: web\n", "name: web" + i + "\n")).append("---\n");
        }
        Path f = Files.writeString(dir.resolve("many.yaml"), sb.toString());
        ScanResult one = K8sScan.scan(K8sScan.analyzer(EvalLimits.DEFAULT), List.of(f.toString()), null, 1);
        ScanResult four = K8sScan.scan(K8sScan.analyzer(EvalLimits.DEFAULT), List.of(f.toString()), null, 4);
        assertThat(one.findings()).hasSize(600);
        assertThat(four.findings()).extracting(Finding::fingerprint)
                .containsExactlyElementsOf(one.findings().stream().map(Finding::fingerprint).toList());
    }
}
