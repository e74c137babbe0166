package dev.posture.serverless.aws;

import dev.posture.iam.model.ServerlessApp;
import dev.posture.model.Target;

import java.util.List;
import java.util.Objects;

/**
 * One target of a live scan and what was collected for it. For a FAILED target the app is empty
 * (never null): analyzers must not report on partial data, and the target carries the reason.
 */
public record AwsOutcome(Target target, ServerlessApp app) {

    public AwsOutcome {
        Objects.requireNonNull(target, "target");
        app = app == null ? empty() : app;
    }

    static ServerlessApp empty() {
        return new ServerlessApp(List.of(), List.of(), List.of(), List.of());
    }
}
