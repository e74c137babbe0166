package dev.posture.cli;

import dev.posture.image.ImageAnalyzer;
import dev.posture.kubernetes.KubernetesAnalyzer;
import dev.posture.model.Theme;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicySources;
import dev.posture.policy.custom.CustomPolicies;
import dev.posture.policy.custom.CustomPolicyLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bring-your-own policies ({@code --policy DIR}, {@code --namespace NS}): a picocli mixin of {@code scan}. The
 * directories are read, sorted by convention and compiled with the built-in policies before any scanning; a
 * file posture cannot place or a policy that does not compile is a usage error (exit 2).
 */
final class PolicyArgs {
    @Option(names = "--policy", paramLabel = "DIR",
            description = "Your own Rego policies, run next to the built-in ones (repeatable): posture.kubernetes.*/"
                    + "posture.image.* packages, conftest policies (package main or --namespace), Trivy checks"
                    + " (METADATA custom.input.selector), Gatekeeper ConstraintTemplates with their Constraints."
                    + " See docs/policies.md.")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "NS",
            description = "conftest namespace (package) to run from --policy directories (repeatable; default: main).")
    List<String> namespaces = new ArrayList<>();

    boolean given() {
        return !policies.isEmpty();
    }

    /**
     * Reads and checks the policies: every file placed, everything compiles together with each analyzer's bundled
     * policies, no rule id or package of the user's takes a built-in one.
     */
    CustomPolicies load(PolicyEngine engine) throws PolicyException {
        if (policies.isEmpty()) {
            if (!namespaces.isEmpty()) {
                throw new PolicyException("--namespace needs --policy DIR");
            }
            return CustomPolicies.NONE;
        }
        CustomPolicies custom = CustomPolicyLoader.load(policies, namespaces);
        CustomPolicyLoader.verify(custom, engine, PolicySources.bundled("policies/kubernetes"),
                KubernetesAnalyzer.PACKAGE_PREFIX, "k8s-", Theme.CLUSTER);
        CustomPolicyLoader.verify(custom, engine, PolicySources.bundled("policies/image"),
                ImageAnalyzer.PACKAGE_PREFIX, "img-", Theme.IMAGE);
        return custom;
    }
}
