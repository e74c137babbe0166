package dev.posture.kubernetes;

import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.serverless.aws.AwsOptions;
import dev.posture.iam.catalog.Catalogs;
import dev.posture.triage.Triage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Scans with the Kubernetes analyzer over the test policies (src/test/resources/kubernetes/policies). */
final class K8sScan {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    static final Path POLICIES = Path.of("src/test/resources/kubernetes/policies");
    static final Path HOSTILE = Path.of("src/test/resources/kubernetes/hostile");

    private K8sScan() {
    }

    static KubernetesAnalyzer analyzer(EvalLimits limits, Path... extra) {
        return new KubernetesAnalyzer(() -> {
            List<PolicyModule> m = new ArrayList<>(PolicySources.directory(POLICIES, "kubernetes/policies/"));
            for (Path p : extra) {
                m.addAll(PolicySources.directory(p, p + "/"));
            }
            return m;
        }, new EmbeddedRegoEngine(), limits);
    }

    static ScanResult scan(List<String> paths) {
        return scan(analyzer(EvalLimits.DEFAULT), paths, null, 2);
    }

    static ScanResult scan(KubernetesAnalyzer a, List<String> paths, String stdin, int parallelism) {
        Scanner s = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled, AwsOptions.of(List.of(), null, List.of()),
                CLOCK), a), parallelism, CLOCK, ProgressListener.NONE, "test");
        return s.scan(new ScanRequest(paths, List.of(), false,
                        stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), "/"),
                new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
    }
}
