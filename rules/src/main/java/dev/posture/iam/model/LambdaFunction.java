package dev.posture.iam.model;

import java.util.List;

/**
 * A Lambda function and everything that decides its security posture. Nulls mean "not configured"
 * (for tracing, DLQ, code signing) or "unknown" (role not resolvable).
 *
 * @param name             logical id (templates) or function name (live)
 * @param arn              ARN for live functions, else null
 * @param packageType      Zip or Image
 * @param imageUri         for Image functions: the image the image analyzer should scan
 * @param tracingMode      Active / PassThrough / null when not configured
 * @param deadLetterTarget DLQ or on-failure destination ARN/reference, null when none
 * @param asyncInvoked     true when something invokes it asynchronously (S3, SNS, EventBridge
 *                         events…), false when only synchronous sources are configured or
 *                         no invocation source is known
 * @param role             the execution role, or null when it cannot be resolved
 * @param resourcePolicy   the function's resource-based policy (Lambda permissions, GetPolicy)
 * @param urls             function URL configs (one per qualifier)
 */
public record LambdaFunction(
        String name,
        String arn,
        String runtime,
        String packageType,
        String imageUri,
        List<EnvVar> environment,
        String tracingMode,
        String deadLetterTarget,
        boolean asyncInvoked,
        String codeSigningConfigArn,
        Role role,
        PolicyDocument resourcePolicy,
        List<FunctionUrl> urls,
        Origin origin) {

    public LambdaFunction {
        environment = environment == null ? List.of() : List.copyOf(environment);
        urls = urls == null ? List.of() : List.copyOf(urls);
        origin = origin == null ? Origin.UNKNOWN : origin;
    }
}
