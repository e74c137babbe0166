package dev.posture.iam.model;

import java.util.List;

/**
 * One IAM policy statement, normalised: lists everywhere, action names kept as written (IAM
 * compares them case-insensitively). Values that were unresolved CloudFormation intrinsics are kept
 * symbolic (e.g. {@code ${MyBucket.Arn}/*}): they are specific resources, never {@code *}.
 *
 * @param index      0-based position in the policy's Statement list
 * @param actions    Action or NotAction values (see {@code notAction})
 * @param resources  Resource or NotResource values (see {@code notResource}); empty when absent
 * @param principal  Principal or NotPrincipal (see {@code notPrincipal}); null when absent
 */
public record Statement(
        int index,
        String sid,
        Effect effect,
        List<String> actions,
        boolean notAction,
        List<String> resources,
        boolean notResource,
        Principal principal,
        boolean notPrincipal,
        List<Condition> conditions,
        Origin origin) {

    public Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        origin = origin == null ? Origin.UNKNOWN : origin;
    }

    /** The same statement at another position (statements of a duplicated Statement key follow the others). */
    public Statement withIndex(int i) {
        return new Statement(i, sid, effect, actions, notAction, resources, notResource, principal, notPrincipal,
                conditions, origin);
    }

    public boolean allows() {
        return effect == Effect.ALLOW;
    }

    public boolean hasConditions() {
        return !conditions.isEmpty();
    }

    /** "statement 2" or "statement 2 (Sid ReadOrders)" — 1-based, as people count. */
    public String label() {
        return "statement " + (index + 1) + (sid == null || sid.isBlank() ? "" : " (Sid " + sid + ")");
    }
}
