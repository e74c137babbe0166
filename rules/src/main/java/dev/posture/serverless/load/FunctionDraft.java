package dev.posture.serverless.load;

import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Statement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A function being assembled from several places of an input. */
final class FunctionDraft {
    String name;
    String arn;
    /** Other names the function is referred to by (FunctionName property, ARN, address). */
    final List<String> aliases = new ArrayList<>();
    String runtime;
    String packageType;
    String imageUri;
    final Map<String, EnvVar> environment = new LinkedHashMap<>();
    String tracingMode;
    String deadLetterTarget;
    /** Invocation sources seen: null = none known yet. */
    Boolean anyAsync;
    boolean anySource;
    String codeSigningConfigArn;
    RoleDraft role;
    final List<Statement> permissions = new ArrayList<>();
    Origin permissionsOrigin;
    PolicyDocument resourcePolicy;
    final List<FunctionUrl> urls = new ArrayList<>();
    Origin origin;

    FunctionDraft(String name, Origin origin) {
        this.name = name;
        this.origin = origin;
    }

    /** Records an invocation source; {@code async} says whether it invokes asynchronously. */
    void invokedBy(boolean async) {
        anySource = true;
        if (async) {
            anyAsync = Boolean.TRUE;
        } else if (anyAsync == null) {
            anyAsync = Boolean.FALSE;
        }
    }

    void env(EnvVar v) {
        environment.remove(v.name());
        environment.put(v.name(), v);
    }

    LambdaFunction build() {
        PolicyDocument rp = resourcePolicy;
        if (!permissions.isEmpty()) {
            List<Statement> all = new ArrayList<>(rp == null ? List.of() : rp.statements());
            int i = all.size();
            for (Statement s : permissions) {
                all.add(new Statement(i++, s.sid(), s.effect(), s.actions(), s.notAction(), s.resources(),
                        s.notResource(), s.principal(), s.notPrincipal(), s.conditions(), s.origin()));
            }
            rp = new PolicyDocument("2012-10-17", all, rp != null ? rp.origin()
                    : permissionsOrigin != null ? permissionsOrigin : origin);
        }
        if (!urls.isEmpty()) {
            invokedBy(false); // a function URL invokes synchronously
        }
        // Only a known asynchronous source (S3, SNS, EventBridge…) makes a function "asynchronously
        // invoked" (missing-dlq); with no event source in this input we do not guess.
        boolean async = Boolean.TRUE.equals(anyAsync);
        return new LambdaFunction(name, arn, runtime, packageType, imageUri, new ArrayList<>(environment.values()),
                tracingMode, deadLetterTarget, async, codeSigningConfigArn, role == null ? null : role.build(), rp,
                urls, origin);
    }
}
