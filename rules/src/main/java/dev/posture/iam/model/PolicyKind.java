package dev.posture.iam.model;

/** How a policy is attached to its principal. */
public enum PolicyKind {
    INLINE("inline policy"),
    CUSTOMER_MANAGED("managed policy"),
    AWS_MANAGED("AWS managed policy"),
    SAM_TEMPLATE("SAM policy template"),
    PERMISSIONS_BOUNDARY("permissions boundary"),
    RESOURCE("resource policy"),
    TRUST("trust policy");

    private final String label;

    PolicyKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
