package dev.posture.serverless.load;

import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Role;

import java.util.ArrayList;
import java.util.List;

/** A role being assembled (policies may be attached from elsewhere in the input). */
final class RoleDraft {
    String name;
    String arn;
    final List<String> aliases = new ArrayList<>();
    final List<Policy> policies = new ArrayList<>();
    Policy permissionsBoundary;
    PolicyDocument trustPolicy;
    Origin origin;
    boolean used;
    private Role built;

    RoleDraft(String name, String arn, Origin origin) {
        this.name = name;
        this.arn = arn;
        this.origin = origin;
    }

    Role build() {
        if (built == null) {
            built = new Role(name, arn, policies, permissionsBoundary, trustPolicy, origin);
        }
        return built;
    }
}
