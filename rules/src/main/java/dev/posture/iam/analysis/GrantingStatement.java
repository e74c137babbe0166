package dev.posture.iam.analysis;

import dev.posture.iam.model.Policy;
import dev.posture.iam.model.Statement;
import dev.posture.model.Location;

/**
 * An Allow statement that grants something, and where it is.
 *
 * @param policy                the policy holding the statement
 * @param statement             the statement
 * @param logicalLocation       relative to the identity, e.g. "role OrdersRole → inline policy ddb → statement 2"
 * @param logicalPath           stable path, e.g. "role/OrdersRole/policy/ddb/statement/1" (0-based index)
 * @param location              the statement's file location, or null for live inputs
 * @param unconstrainedResource the statement's Resource includes an unconstrained resource (or it uses NotResource)
 * @param conditional           the statement has a Condition
 */
public record GrantingStatement(Policy policy, Statement statement, String logicalLocation, String logicalPath,
                                Location location, boolean unconstrainedResource, boolean conditional) {
}
