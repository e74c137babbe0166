package dev.posture.iam.model;

import java.util.List;

/**
 * An IAM role (or any identity holding policies): its identity policies, optional permissions
 * boundary and trust policy.
 */
public record Role(String name, String arn, List<Policy> policies, Policy permissionsBoundary,
                   PolicyDocument trustPolicy, Origin origin) {
    public Role {
        policies = List.copyOf(policies);
        origin = origin == null ? Origin.UNKNOWN : origin;
    }
}
