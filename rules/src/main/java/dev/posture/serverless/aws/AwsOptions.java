package dev.posture.serverless.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.util.List;

/**
 * What a live AWS scan looks at and how it authenticates. Mirrors
 * {@code posture scan --aws [--aws-region R]... [--aws-profile P] [--aws-function NAME]...}.
 *
 * @param regions        Lambda regions to scan; empty = the region of the profile / environment
 *                       (default region provider chain)
 * @param profile        named profile from ~/.aws/config and ~/.aws/credentials, or null for the
 *                       default credential chain
 * @param functionNames  only these functions (name or ARN); empty = all functions
 * @param iamEndpoint    endpoint override for IAM, tests only (null = the real endpoint)
 * @param lambdaEndpoint endpoint override for Lambda (every region), tests only
 * @param stsEndpoint    endpoint override for STS, tests only
 * @param credentials    explicit credentials (tests); null = the profile or the default chain
 */
public record AwsOptions(List<String> regions, String profile, List<String> functionNames, URI iamEndpoint,
                         URI lambdaEndpoint, URI stsEndpoint, AwsCredentialsProvider credentials) {

    public AwsOptions {
        regions = regions == null ? List.of() : List.copyOf(regions);
        functionNames = functionNames == null ? List.of() : List.copyOf(functionNames);
        profile = profile == null || profile.isBlank() ? null : profile;
    }

    /** Real AWS: the given regions, profile and function filter, no overrides. */
    public static AwsOptions of(List<String> regions, String profile, List<String> functionNames) {
        return new AwsOptions(regions, profile, functionNames, null, null, null, null);
    }

    /** Credentials never appear in {@code toString}. */
    @Override
    public String toString() {
        return "AwsOptions[regions=" + regions + ", profile=" + profile + ", functionNames=" + functionNames
                + ", iamEndpoint=" + iamEndpoint + ", lambdaEndpoint=" + lambdaEndpoint + ", stsEndpoint="
                + stsEndpoint + ", credentials=" + (credentials == null ? "default" : "explicit") + "]";
    }
}
