package dev.posture.iam.analysis;

import dev.posture.iam.catalog.ManagedPolicies;
import dev.posture.iam.catalog.ManagedPolicy;
import dev.posture.iam.model.PolicyDocument;

import java.util.Map;
import java.util.Optional;

/**
 * Resolves a managed policy (AWS managed or customer managed) by name or ARN to its document.
 * An empty result means "unknown": the analysis reports the policy as unresolved and does not guess.
 */
@FunctionalInterface
public interface ManagedPolicyResolver {

    Optional<PolicyDocument> resolve(String nameOrArn);

    /** The AWS managed policies bundled with posture ({@link ManagedPolicies#bundled()}). */
    static ManagedPolicyResolver bundled() {
        ManagedPolicies mp = ManagedPolicies.bundled();
        return n -> n == null ? Optional.empty() : mp.lookup(n).map(ManagedPolicy::document);
    }

    /** Resolves nothing. */
    static ManagedPolicyResolver none() {
        return n -> Optional.empty();
    }

    /** Resolves from a fixed map keyed by name or ARN (exact match, then by the ARN's last path segment). */
    static ManagedPolicyResolver of(Map<String, PolicyDocument> byNameOrArn) {
        Map<String, PolicyDocument> copy = Map.copyOf(byNameOrArn);
        return n -> {
            if (n == null) {
                return Optional.empty();
            }
            PolicyDocument d = copy.get(n);
            if (d == null && n.startsWith("arn:")) {
                d = copy.get(n.substring(n.lastIndexOf('/') + 1));
            }
            return Optional.ofNullable(d);
        };
    }
}
