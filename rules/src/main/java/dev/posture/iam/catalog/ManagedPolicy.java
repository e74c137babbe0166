package dev.posture.iam.catalog;

import dev.posture.iam.model.PolicyDocument;

/**
 * An AWS managed policy bundled with posture.
 *
 * @param name      the policy name ("AWSLambdaBasicExecutionRole")
 * @param arn       its ARN in the {@code aws} partition, with its path
 *                  ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
 * @param versionId the default version bundled ("v12")
 * @param document  the parsed document; statement origins carry the ARN
 */
public record ManagedPolicy(String name, String arn, String versionId, PolicyDocument document) {
}
