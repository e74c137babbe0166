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

    /**
     * What AWS has for an AWS managed policy reference (a bare name or an ARN with its path), when
     * this resolver knows every AWS managed policy: then a reference it does not find names no policy
     * AWS has, and one found under another path is a wrong ARN. Empty when the resolver cannot tell
     * (the default): an unresolved reference is then only "could not be resolved".
     */
    default Optional<ManagedPolicies.Check> checkAwsManaged(String nameOrArn) {
        return Optional.empty();
    }

    /**
     * Every AWS managed policy, bundled with posture ({@link ManagedPolicies#bundled()}, read on first
     * use). Resolves by name (the path of an ARN is not checked here; {@link #checkAwsManaged} does).
     */
    static ManagedPolicyResolver bundled() {
        return new ManagedPolicyResolver() {
            @Override
            public Optional<PolicyDocument> resolve(String n) {
                return n == null ? Optional.empty() : ManagedPolicies.bundled().lookup(n).map(ManagedPolicy::document);
            }

            @Override
            public Optional<ManagedPolicies.Check> checkAwsManaged(String nameOrArn) {
                return Optional.of(ManagedPolicies.bundled().check(nameOrArn));
            }
        };
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
