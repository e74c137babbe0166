/**
 * Loaders that turn serverless/IAM inputs into the {@link dev.posture.iam.model.ServerlessApp}
 * model: raw IAM policies ({@link dev.posture.serverless.load.IamPolicyLoader}), account
 * authorization details ({@link dev.posture.serverless.load.AuthorizationDetailsLoader}),
 * CloudFormation/SAM/CDK templates ({@link dev.posture.serverless.load.CloudFormationLoader}),
 * Serverless Framework files ({@link dev.posture.serverless.load.ServerlessFrameworkLoader}) and
 * Terraform plans ({@link dev.posture.serverless.load.TerraformPlanLoader}).
 *
 * <p>Start at {@link dev.posture.serverless.load.ServerlessLoaders}: {@code detect} decides the
 * format from a document's content, {@code load} dispatches. Problems in parts of an input become
 * {@link dev.posture.iam.model.InputWarning}s; only unreadable input throws. See
 * {@code docs/serverless-inputs.md} for the supported fields.
 */
package dev.posture.serverless.load;
