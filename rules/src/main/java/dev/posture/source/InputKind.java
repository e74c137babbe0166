package dev.posture.source;

/** What an input is, decided by its content (not only its name). */
public enum InputKind {
    /** A raw IAM policy document (identity, resource-based or trust policy). */
    IAM_POLICY,
    /** An AWS account authorization details dump (aws iam get-account-authorization-details). */
    IAM_AUTHORIZATION_DETAILS,
    /** CloudFormation or SAM template, YAML or JSON, including CDK output. */
    CLOUDFORMATION,
    /** Serverless Framework serverless.yml. */
    SERVERLESS_FRAMEWORK,
    /** terraform show -json output. */
    TERRAFORM_PLAN,
    /** Kubernetes manifests. */
    KUBERNETES,
    /** docker save / OCI image archive. */
    IMAGE_ARCHIVE,
    /** An image named by reference (--image REF): registry, daemon. */
    IMAGE_REF,
    /** A live AWS account (--aws). */
    AWS_ACCOUNT,
    /** A file no analyzer understands. */
    UNKNOWN
}
