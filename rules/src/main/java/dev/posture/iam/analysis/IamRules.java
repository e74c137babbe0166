package dev.posture.iam.analysis;

import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Theme;

import java.util.List;

/** Metadata of every Lambda/IAM rule. Rule ids are the control slugs of CONTROLS.md. */
public final class IamRules {
    private IamRules() {
    }

    private static final String IAM_BP = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html";
    private static final String LEAST_PRIV = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege";
    private static final String POLICY_EVAL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html";
    private static final String LAMBDA_RBP = "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html";
    private static final String CONFUSED_DEPUTY = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html";
    private static final String URLS = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

    private static Rule rule(String id, String title, Severity severity, Theme theme, String description,
                             String remediation, String... references) {
        return new Rule(id, title, severity, Surface.SERVERLESS, theme, id, description, remediation, List.of(references));
    }

    public static final Rule WILDCARD_ADMIN = rule("wildcard-admin", "Identity has full administrator access",
            Severity.CRITICAL, Theme.IAM,
            "The effective grant is full admin: \"*\" on \"*\", or equivalent through NotAction (at least 90% of all "
                    + "actions on unconstrained resources) or through every IAM action (which lets the identity grant "
                    + "itself anything).",
            "Replace the wildcard with the specific actions and resources the function needs.",
            LEAST_PRIV, POLICY_EVAL);
    public static final Rule SERVICE_WILDCARD = rule("service-wildcard", "A whole service is granted",
            Severity.MEDIUM, Theme.IAM,
            "An Allow statement grants every action of a service (\"s3:*\", \"dynamodb:*\").",
            "List the specific actions of the service the function uses.",
            LEAST_PRIV, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html");
    public static final Rule WILDCARD_ACTION = rule("wildcard-action", "Wildcard action on unconstrained resources",
            Severity.MEDIUM, Theme.IAM,
            "An Allow statement grants an action pattern with a wildcard (\"s3:Get*\", \"iam:*Policy*\") on an "
                    + "unconstrained resource (\"*\", \"arn:aws:s3:::*\", …).",
            "Name the actions explicitly and scope Resource to the ARNs the function uses.",
            LEAST_PRIV, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html");
    public static final Rule NOTACTION_ALLOW = rule("notaction-allow", "NotAction used with Allow",
            Severity.MEDIUM, Theme.IAM,
            "An Allow statement uses NotAction: it grants every action except those listed, including actions "
                    + "AWS adds in the future.",
            "Use Action with the actions needed; use NotAction only in Deny statements.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html", LEAST_PRIV);
    public static final Rule NOTRESOURCE_ALLOW = rule("notresource-allow", "NotResource used with Allow",
            Severity.MEDIUM, Theme.IAM,
            "An Allow statement uses NotResource: it grants on every resource except those listed, including "
                    + "resources created later.",
            "Use Resource with the ARNs needed.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html", LEAST_PRIV);
    public static final Rule PRIVILEGE_ESCALATION = rule("privilege-escalation", "Privilege escalation is possible",
            Severity.HIGH, Theme.IAM,
            "The effective grant contains a known privilege-escalation combination (Rhino Security Labs' methods, "
                    + "Lambda configuration/permission variants, permissions-boundary removal).",
            "Remove the actions of the method, or scope them to resources that cannot lead to more privilege "
                    + "(and iam:PassRole to the specific roles needed, with iam:PassedToService).",
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", IAM_BP);
    public static final Rule PASSROLE_WILDCARD = rule("passrole-wildcard", "iam:PassRole on any role",
            Severity.MEDIUM, Theme.IAM,
            "iam:PassRole is granted on an unconstrained resource, so any role (including admin roles) can be "
                    + "passed to a service.",
            "Scope iam:PassRole to the specific role ARNs and add an iam:PassedToService condition.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html", LEAST_PRIV);
    public static final Rule DATA_EXFILTRATION = rule("data-exfiltration", "Read of data or secrets on any resource",
            Severity.MEDIUM, Theme.IAM,
            "Actions that read data or secrets (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter*, "
                    + "kms:Decrypt, dynamodb:GetItem/Scan/Query, rds-data, …) are granted on unconstrained resources.",
            "Scope the Resource of data-reading actions to the buckets, tables, secrets and keys the function uses.",
            LEAST_PRIV, "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html");
    public static final Rule RESOURCE_EXPOSURE = rule("resource-exposure", "Can change resource-based policies or ACLs",
            Severity.HIGH, Theme.IAM,
            "Actions that change resource-based policies or ACLs (every Permissions management action that is not "
                    + "a read, plus s3:PutBucketPolicy, lambda:AddPermission, kms:PutKeyPolicy, kms:CreateGrant, …) are granted, so "
                    + "resources can be shared with other accounts or the public.",
            "Remove permissions-management actions from function roles; manage resource policies through deployment.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
            LEAST_PRIV);
    public static final Rule CREDENTIALS_EXPOSURE = rule("credentials-exposure", "Can create or obtain credentials",
            Severity.HIGH, Theme.IAM,
            "Actions that return or create credentials are granted (iam:CreateAccessKey, sts:AssumeRole on *, "
                    + "sts:GetFederationToken, ecr:GetAuthorizationToken, redshift:GetClusterCredentials, …).",
            "Remove credential-issuing actions, or scope sts:AssumeRole to the specific roles needed.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html", LEAST_PRIV);
    public static final Rule INFRASTRUCTURE_MODIFICATION = rule("infrastructure-modification",
            "Write access on unconstrained resources", Severity.LOW, Theme.IAM,
            "Write access-level actions are granted on unconstrained resources, beyond the escalation, exposure, "
                    + "credential and data categories.",
            "Scope write actions to the resources the function manages.",
            LEAST_PRIV, "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html");
    public static final Rule PUBLIC_INVOKE = rule("public-invoke", "Anyone can invoke the function",
            Severity.CRITICAL, Theme.NETWORK,
            "A statement of the function's resource policy lets \"*\" invoke it without an aws:SourceArn, "
                    + "aws:SourceAccount, aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceOrgID style restriction "
                    + "(including lambda:InvokeFunctionUrl with lambda:FunctionUrlAuthType NONE).",
            "Name the invoking principal, or add a SourceArn/SourceAccount/PrincipalOrgID condition.",
            LAMBDA_RBP, URLS);
    public static final Rule CONFUSED_DEPUTY_RULE = rule("confused-deputy", "Service may invoke without source restriction",
            Severity.MEDIUM, Theme.NETWORK,
            "A service principal (e.g. s3.amazonaws.com) may invoke the function without aws:SourceArn or "
                    + "aws:SourceAccount, so resources in other accounts can trigger it.",
            "Add SourceArn (and SourceAccount) to the permission.",
            CONFUSED_DEPUTY, LAMBDA_RBP);
    public static final Rule CROSS_ACCOUNT_INVOKE = rule("cross-account-invoke", "Another account may invoke the function",
            Severity.LOW, Theme.NETWORK,
            "An AWS account principal other than the function's own account may invoke it. When the own account is "
                    + "unknown (templates), any literal account id or account ARN other than ${AWS::AccountId} counts.",
            "Confirm the other account is trusted; prefer aws:PrincipalOrgID.",
            LAMBDA_RBP, "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html");
    public static final Rule FUNCTION_URL_NO_AUTH = rule("function-url-no-auth", "Function URL without authentication",
            Severity.HIGH, Theme.NETWORK,
            "A function URL has AuthType NONE: with the resource-policy permission pair (lambda:InvokeFunctionUrl "
                    + "and lambda:InvokeFunction for \"*\") anyone on the internet can call it.",
            "Use AuthType AWS_IAM, or authenticate requests in the function and document why.",
            URLS, "https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html");
    public static final Rule CORS_WILDCARD = rule("cors-wildcard", "Function URL allows any origin",
            Severity.MEDIUM, Theme.NETWORK,
            "The function URL's CORS AllowOrigins contains \"*\".",
            "List the origins that may call the function.",
            "https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors");
    public static final Rule SECRET_IN_ENV = rule("secret-in-env", "Secret in a function environment variable",
            Severity.CRITICAL, Theme.SECRETS,
            "A function environment variable holds a credential-like literal value (AWS keys, private keys, "
                    + "GitHub/Slack/Stripe/Google tokens, JWTs, or a password/secret/token/API-key-like name with a "
                    + "non-placeholder value). The value is never shown, only its kind and a masked prefix.",
            "Move the value to Secrets Manager or SSM Parameter Store (SecureString), read it at run time, and rotate it.",
            "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption",
            "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html");
    public static final Rule DEPRECATED_RUNTIME = rule("deprecated-runtime", "Runtime is past its end of support",
            Severity.MEDIUM, Theme.RUNTIME,
            "The function's runtime has reached its deprecation date: it no longer gets security patches.",
            "Move the function to a supported runtime.",
            "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
            "https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html");
    public static final Rule MISSING_DLQ = rule("missing-dlq", "Asynchronously invoked function has no DLQ",
            Severity.LOW, Theme.RUNTIME,
            "A function invoked asynchronously has neither a dead-letter queue nor an on-failure destination, so "
                    + "failed events are lost.",
            "Configure DeadLetterConfig or an OnFailure destination.",
            "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html");
    public static final Rule MISSING_TRACING = rule("missing-tracing", "X-Ray tracing is not active",
            Severity.LOW, Theme.RUNTIME,
            "TracingConfig Mode is not Active.",
            "Set TracingConfig Mode to Active.",
            "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html");
    public static final Rule MISSING_CODE_SIGNING = rule("missing-code-signing", "No code-signing configuration",
            Severity.LOW, Theme.CODE,
            "A Zip-packaged function has no CodeSigningConfigArn, so unsigned code can be deployed.",
            "Create a code-signing configuration with AWS Signer and attach it.",
            "https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html");
    public static final Rule UNKNOWN_ACTION = rule("unknown-action", "Action does not exist",
            Severity.LOW, Theme.IAM,
            "A statement names an action (or service prefix) that does not exist in the action catalog, usually a "
                    + "typo that silently grants or denies nothing.",
            "Fix the action name (see the suggestion).",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html");
    public static final Rule INPUT_WARNING = new Rule("input-warning", "Part of the input was skipped", Severity.INFO,
            Surface.SERVERLESS, Theme.CODE, "invalid-input",
            "A part of the input could not be analysed (a statement without Effect, an unknown policy Version, an "
                    + "unresolvable managed policy, …) and was skipped; the rest was analysed.",
            "Fix the input so that every part can be analysed.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"));

    private static final List<Rule> ALL = List.of(WILDCARD_ADMIN, SERVICE_WILDCARD, WILDCARD_ACTION, NOTACTION_ALLOW,
            NOTRESOURCE_ALLOW, PRIVILEGE_ESCALATION, PASSROLE_WILDCARD, DATA_EXFILTRATION, RESOURCE_EXPOSURE,
            CREDENTIALS_EXPOSURE, INFRASTRUCTURE_MODIFICATION, PUBLIC_INVOKE, CONFUSED_DEPUTY_RULE, CROSS_ACCOUNT_INVOKE,
            FUNCTION_URL_NO_AUTH, CORS_WILDCARD, SECRET_IN_ENV, DEPRECATED_RUNTIME, MISSING_DLQ, MISSING_TRACING,
            MISSING_CODE_SIGNING, UNKNOWN_ACTION, INPUT_WARNING);

    /** Every rule of the IAM/Lambda analysis. */
    public static List<Rule> all() {
        return ALL;
    }
}
