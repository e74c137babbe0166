package dev.posture.iam.model;

import java.util.List;

/**
 * Everything one serverless/IAM input yields: functions with their roles, plus identities and
 * policies that stand alone (a raw policy file, roles no function uses, account-wide managed
 * policies). {@code warnings} are problems in the input that skipped a part (a statement without
 * Effect, an unknown Version) without failing the whole target.
 */
public record ServerlessApp(List<LambdaFunction> functions, List<Role> roles, List<Policy> policies,
                            List<InputWarning> warnings) {
    public ServerlessApp {
        functions = List.copyOf(functions);
        roles = List.copyOf(roles);
        policies = List.copyOf(policies);
        warnings = List.copyOf(warnings);
    }
}
