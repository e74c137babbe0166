package dev.posture.iam.model;

/**
 * A named policy as attached somewhere.
 *
 * @param arn      the ARN when known (managed policies, live scans), else null
 * @param document null when it could not be resolved (e.g. an unknown customer managed ARN);
 *                 analyzers report that rather than guess
 */
public record Policy(String name, PolicyKind kind, String arn, PolicyDocument document, Origin origin) {
    public Policy {
        origin = origin == null ? Origin.UNKNOWN : origin;
    }

    public String label() {
        return kind.label() + " " + name;
    }
}
