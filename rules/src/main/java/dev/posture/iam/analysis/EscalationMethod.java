package dev.posture.iam.analysis;

import java.util.List;

/**
 * A privilege-escalation method: every group must be granted; a group is satisfied by any one of its
 * alternatives.
 *
 * @param name        stable name, part of the finding's fingerprint
 * @param description what an attacker does with it
 * @param required    groups of alternative actions, all groups needed
 */
public record EscalationMethod(String name, String description, List<List<String>> required) {

    public EscalationMethod {
        required = required.stream().map(List::copyOf).toList();
    }

    static EscalationMethod of(String name, String description, String... actions) {
        return new EscalationMethod(name, description, java.util.Arrays.stream(actions).map(List::of).toList());
    }

    /** Every method checked, after Rhino Security Labs' list plus Lambda and permissions-boundary variants. */
    public static final List<EscalationMethod> ALL = List.of(
            of("CreateNewPolicyVersion", "create a new default version of a customer managed policy with any permissions",
                    "iam:CreatePolicyVersion"),
            of("SetExistingDefaultPolicyVersion", "make an older, more permissive policy version the default",
                    "iam:SetDefaultPolicyVersion"),
            of("PassRoleToEC2", "launch an EC2 instance with a more privileged instance profile and use its credentials",
                    "iam:PassRole", "ec2:RunInstances"),
            of("CreateAccessKey", "create access keys for another IAM user", "iam:CreateAccessKey"),
            of("CreateLoginProfile", "set a console password for a user that has none", "iam:CreateLoginProfile"),
            of("UpdateLoginProfile", "change another user's console password", "iam:UpdateLoginProfile"),
            of("AttachUserPolicy", "attach any managed policy (e.g. AdministratorAccess) to a user", "iam:AttachUserPolicy"),
            of("AttachGroupPolicy", "attach any managed policy to a group the attacker is in", "iam:AttachGroupPolicy"),
            of("AttachRolePolicy", "attach any managed policy to a role (e.g. its own)", "iam:AttachRolePolicy"),
            of("PutUserPolicy", "write an arbitrary inline policy on a user", "iam:PutUserPolicy"),
            of("PutGroupPolicy", "write an arbitrary inline policy on a group", "iam:PutGroupPolicy"),
            of("PutRolePolicy", "write an arbitrary inline policy on a role (e.g. its own)", "iam:PutRolePolicy"),
            of("AddUserToGroup", "add a user to a more privileged group", "iam:AddUserToGroup"),
            of("UpdateAssumeRolePolicy", "rewrite a privileged role's trust policy and assume it",
                    "iam:UpdateAssumeRolePolicy", "sts:AssumeRole"),
            of("PassRoleToNewLambdaInvoke", "create a function with a more privileged role and invoke it",
                    "iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
            of("PassRoleToNewLambdaEventSource", "create a function with a more privileged role and trigger it from an event source mapping",
                    "iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
            of("PassRoleToNewLambdaAddPermission", "create a function with a more privileged role and grant yourself (or anyone) invoke through its resource policy",
                    "iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"),
            of("UpdateExistingLambdaCode", "replace the code of a function that runs with a more privileged role",
                    "lambda:UpdateFunctionCode"),
            of("UpdateExistingLambdaConfiguration", "add a layer or change the handler/environment of a function that runs with a more privileged role",
                    "lambda:UpdateFunctionConfiguration"),
            of("PassRoleToGlueDevEndpoint", "create a Glue development endpoint with a more privileged role and SSH into it",
                    "iam:PassRole", "glue:CreateDevEndpoint"),
            of("UpdateGlueDevEndpoint", "add an SSH key to an existing Glue development endpoint and use its role",
                    "glue:UpdateDevEndpoint"),
            of("PassRoleToCloudFormation", "create a CloudFormation stack that runs with a more privileged role",
                    "iam:PassRole", "cloudformation:CreateStack"),
            of("PassRoleToDataPipeline", "create a Data Pipeline that runs commands with a more privileged role",
                    "iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"),
            of("DeleteRolePermissionsBoundary", "remove the permissions boundary that limits a role",
                    "iam:DeleteRolePermissionsBoundary"),
            of("DeleteUserPermissionsBoundary", "remove the permissions boundary that limits a user",
                    "iam:DeleteUserPermissionsBoundary"),
            of("PutRolePermissionsBoundary", "replace a role's permissions boundary with a permissive one",
                    "iam:PutRolePermissionsBoundary"),
            of("PutUserPermissionsBoundary", "replace a user's permissions boundary with a permissive one",
                    "iam:PutUserPermissionsBoundary"));
}
