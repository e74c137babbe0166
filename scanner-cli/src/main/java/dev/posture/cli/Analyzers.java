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
        return create(aws, images, clock, null);
    }

    /** With the Rego policies on {@code engine} (an OPA server; null: the embedded engine). */
    static List<Analyzer> create(AwsOptions aws, ImageOptions images, Clock clock, PolicyEngine engine) {
        if (engine != null) {
            return List.of(ServerlessAnalyzer.withDefaults(aws, clock), KubernetesAnalyzer.withBundledPolicies(engine),
                    ImageAnalyzer.withBundledPolicies(engine, images));
        }
        return List.of(ServerlessAnalyzer.withDefaults(aws, clock), KubernetesAnalyzer.withBundledPolicies(),
                ImageAnalyzer.withBundledPolicies(images));
    }
}
