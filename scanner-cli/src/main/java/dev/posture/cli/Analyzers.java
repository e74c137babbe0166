package dev.posture.cli;

import dev.posture.image.ImageAnalyzer;
import dev.posture.image.ImageOptions;
import dev.posture.kubernetes.KubernetesAnalyzer;
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
        return create(aws, images, clock, dev.posture.policy.custom.CustomPolicies.NONE);
    }

    /** @param custom the user's policies ({@code --policy}), run by the Kubernetes and image analyzers */
    static List<Analyzer> create(AwsOptions aws, ImageOptions images, Clock clock,
                                 dev.posture.policy.custom.CustomPolicies custom) {
        return List.of(ServerlessAnalyzer.withDefaults(aws, clock), KubernetesAnalyzer.withBundledPolicies(custom),
                ImageAnalyzer.withBundledPolicies(images, custom));
    }
}
