package dev.posture.hostile;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.kubernetes.KubernetesAnalyzer;
import dev.posture.model.Finding;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.triage.Triage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile Kubernetes manifests (and a hostile policy) through the real scanner with the Kubernetes analyzer and
 * this module's test policies: a broken or exploding document fails its file with the line and the file's other
 * documents are still judged; a 50 MB manifest is read; a policy over its budget fails one resource.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileKubernetesTest {
    private static final Path POLICIES = Path.of("src/test/resources/kubernetes/policies");
    private static final Path HOSTILE_POLICIES = Path.of("src/test/resources/kubernetes/hostile");

    private static final String PRIVILEGED_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: %s, namespace: shop}
            spec:
              containers:
                - name: c
                  securityContext: {privileged: true}
            """;

    static ScanResult scan(EvalLimits limits, boolean hostilePolicy, Path... files) {
        KubernetesAnalyzer k8s = new KubernetesAnalyzer(() -> {
            List<PolicyModule> m = new ArrayList<>(PolicySources.directory(POLICIES, "test/"));
            if (hostilePolicy) {
                m.addAll(PolicySources.directory(HOSTILE_POLICIES, "hostile/"));
            }
            return m;
        }, new EmbeddedRegoEngine(), limits);
        Scanner s = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled, null, Hostile.CLOCK), k8s), 2,
                Hostile.CLOCK, ProgressListener.NONE, "test");
        return s.scan(new ScanRequest(java.util.Arrays.stream(files).map(Path::toString).toList(), List.of(), false,
                null, "/"), new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
    }

    static Target target(ScanResult r, Path f) {
        return r.targets().stream().filter(t -> t.name().equals(f.toString())).findFirst().orElseThrow();
    }

    static List<String> privileged(ScanResult r) {
        return r.findings().stream().filter(f -> f.rule().id().equals("k8s-privileged")).map(Finding::resource).toList();
    }

    @Test
    void aYamlBombDocumentStopsAtTheAliasLimitAndTheOtherDocumentsAreJudged(@TempDir Path dir) throws IOException {
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n");
        bomb.append("  a: &a [x,x,x,x,x,x,x,x,x]\n");
        String prev = "a";
        for (char c = 'b'; c <= 'j'; c++) {
            bomb.append("  ").append(c).append(": &").append(c).append(" [").append(("*" + prev + ",").repeat(8))
                    .append('*').append(prev).append("]\n");
            prev = String.valueOf(c);
        }
        Path f = Files.writeString(dir.resolve("bomb.yaml"), PRIVILEGED_POD.formatted("before") + "---\n" + bomb
                + "---\n" + PRIVILEGED_POD.formatted("after"));
        long t = System.nanoTime();
        ScanResult r = scan(EvalLimits.DEFAULT, false, f);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(60));
        Target target = target(r, f);
        assertThat(target.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(target.error()).startsWith(f + ":").contains("invalid YAML").containsIgnoringCase("alias")
                .contains("other 2 document(s) were checked");
        assertThat(privileged(r)).containsExactlyInAnyOrder("Pod/shop/before", "Pod/shop/after");
    }

    @Test
    void aDocumentJustUnderTheAliasBudgetIsReadAndJudgedWithinBounds(@TempDir Path dir) throws IOException {
        // 90 aliases of a 10,000-item list: 900,000 nodes once expanded, under the budget; the tree shares them
        StringBuilder y = new StringBuilder(PRIVILEGED_POD.formatted("wide"));
        y.append("  tolerations: &v [").append("x,".repeat(9_999)).append("x]\n");
        y.append("  nodeSelector:\n");
        for (int i = 0; i < 90; i++) {
            y.append("    k").append(i).append(": *v\n");
        }
        Path f = Files.writeString(dir.resolve("wide.yaml"), y.toString());
        ScanResult r = scan(EvalLimits.DEFAULT, false, f);
        assertThat(target(r, f).status()).as(target(r, f).error()).isEqualTo(TargetStatus.SCANNED);
        assertThat(privileged(r)).containsExactly("Pod/shop/wide");
    }

    @Test
    void aFiftyMegabyteManifestIsReadDocumentByDocument(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("big.yaml");
        long lines = 0;
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write(PRIVILEGED_POD.formatted("first"));
            lines += 7;
            String line = "    " + "x".repeat(95) + "\n";
            int i = 0;
            while (Files.size(f) < 48L * 1024 * 1024) {
                w.write("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: blob" + i++ + "}\ndata:\n  blob: |\n");
                lines += 6;
                for (int j = 0; j < 20_000; j++) {
                    w.write(line);
                }
                lines += 20_000;
                w.flush();
            }
            w.write("---\n" + PRIVILEGED_POD.formatted("last"));
            lines += 1;
        }
        assertThat(Files.size(f)).isBetween(48L * 1024 * 1024, 50L * 1024 * 1024);
        ScanResult r = scan(EvalLimits.DEFAULT, false, f);
        assertThat(target(r, f).status()).as(target(r, f).error()).isEqualTo(TargetStatus.SCANNED);
        assertThat(privileged(r)).containsExactlyInAnyOrder("Pod/shop/first", "Pod/shop/last");
        Finding last = r.findings().stream().filter(x -> x.resource().equals("Pod/shop/last")
                && x.rule().id().equals("k8s-privileged")).findFirst().orElseThrow();
        assertThat((long) last.location().line()).isEqualTo(lines + 7);
    }

    @Test
    void aManifestOverFiftyMegabytesFailsUnread(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge.yaml");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write(PRIVILEGED_POD.formatted("p"));
            w.write("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  blob: |\n");
            String line = "    " + "y".repeat(1000) + "\n";
            while (Files.size(f) <= 50L * 1024 * 1024) {
                for (int j = 0; j < 1000; j++) {
                    w.write(line);
                }
                w.flush();
            }
        }
        ScanResult r = scan(EvalLimits.DEFAULT, false, f);
        assertThat(target(r, f).status()).isEqualTo(TargetStatus.FAILED);
        assertThat(target(r, f).error()).contains("over the 52428800-byte limit");
    }

    @Test
    void aHostilePolicyOverItsStepBudgetFailsOneResourceAndTheScanGoesOn(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), PRIVILEGED_POD.formatted("hostile") + "---\n"
                + PRIVILEGED_POD.formatted("fine"));
        Path good = Files.writeString(dir.resolve("good.yaml"), PRIVILEGED_POD.formatted("other"));
        long t = System.nanoTime();
        ScanResult r = scan(new EvalLimits(500_000, Duration.ofSeconds(60)), true, bad, good);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(60));
        assertThat(target(r, bad).status()).isEqualTo(TargetStatus.FAILED);
        assertThat(target(r, bad).error()).contains("Pod/shop/hostile", bad + ":1", "k8s-burn",
                "evaluation step budget exceeded (500000 steps)");
        assertThat(target(r, good).status()).isEqualTo(TargetStatus.SCANNED);
        assertThat(privileged(r)).containsExactlyInAnyOrder("Pod/shop/hostile", "Pod/shop/fine", "Pod/shop/other");
        assertThat(r.warnings()).noneMatch(w -> w.contains("Exception"));
    }
}
