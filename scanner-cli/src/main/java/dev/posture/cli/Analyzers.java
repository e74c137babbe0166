package dev.posture.cli;

import dev.posture.image.ImageAnalyzer;
import dev.posture.image.ImageOptions;
import dev.posture.kubernetes.KubernetesAnalyzer;
import dev.posture.policy.PolicyEngine;
import dev.posture.scan.Analyzer;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.serverless.aws.AwsOptions;

import java.time.Clock;
import java.util.List;

/** The analyzers a scan runs, in recognition order. New analyzers are registered here. */
final class Analyzers {
    private Analyzers() {
    }

    static List<Analyzer> create(AwsOptions aws, ImageOptions images, Clock clock) {
        return create(aws, images, clock, null, dev.posture.policy.custom.CustomPolicies.NONE);
    }

    /**
     * @param engine the Rego engine of the Kubernetes and image policies (an OPA server); null: the embedded one
     * @param custom the user's policies ({@code --policy}), run by the Kubernetes and image analyzers
     */
    static List<Analyzer> create(AwsOptions aws, ImageOptions images, Clock clock, PolicyEngine engine,
                                 dev.posture.policy.custom.CustomPolicies custom) {
        PolicyEngine e = engine != null ? engine : new dev.posture.policy.EmbeddedRegoEngine();
        return List.of(ServerlessAnalyzer.withDefaults(aws, clock), KubernetesAnalyzer.withBundledPolicies(e, custom),
                ImageAnalyzer.withBundledPolicies(e, images, custom));
    }
}
