package dev.posture.iam.analysis;

import java.util.List;

/**
 * One effectively granted action.
 *
 * @param action                canonical action name ("s3:GetObject")
 * @param statements            every Allow statement that grants it (after Deny subtraction and boundary)
 * @param unconstrainedResource at least one grant is on an unconstrained resource
 * @param conditional           every grant is conditional (no statement grants it without a Condition)
 */
public record Grant(String action, List<GrantingStatement> statements, boolean unconstrainedResource,
                    boolean conditional) {
    public Grant {
        statements = List.copyOf(statements);
    }
}
