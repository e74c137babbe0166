package dev.posture.iam.analysis;

import dev.posture.iam.catalog.AccessLevel;

import java.util.BitSet;
import java.util.List;

/**
 * Curated action lists for the risk categories, resolved against the catalog once per analyzer.
 * Names the catalog does not know are ignored.
 */
final class RiskActions {

    /** Reading data or secrets; reported when granted on unconstrained resources. */
    static final List<String> DATA_EXFILTRATION = List.of(
            "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes",
            "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
            "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
            "kms:Decrypt",
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:Query",
            "dynamodb:PartiQLSelect", "dynamodb:GetRecords", "dynamodb:ExportTableToPointInTime",
            "rds-data:ExecuteStatement", "rds-data:BatchExecuteStatement", "rds-data:ExecuteSql",
            "redshift-data:GetStatementResult", "athena:GetQueryResults",
            "sqs:ReceiveMessage", "kinesis:GetRecords", "logs:GetLogEvents", "logs:FilterLogEvents",
            "lambda:GetFunction", "glue:GetConnection", "glue:GetConnections",
            "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "codecommit:GitPull");

    /** Changing resource-based policies or ACLs, in addition to every Permissions management action that is no read. */
    static final List<String> RESOURCE_EXPOSURE = List.of(
            "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl",
            "s3:PutObjectVersionAcl", "s3:PutAccessPointPolicy", "s3:PutBucketPublicAccessBlock",
            "s3:PutAccountPublicAccessBlock", "s3:PutBucketOwnershipControls",
            "lambda:AddPermission", "lambda:AddLayerVersionPermission", "lambda:CreateFunctionUrlConfig",
            "lambda:UpdateFunctionUrlConfig",
            "kms:PutKeyPolicy", "kms:CreateGrant",
            "sqs:AddPermission", "sqs:SetQueueAttributes", "sns:AddPermission", "sns:SetTopicAttributes",
            "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy",
            "ecr:SetRepositoryPolicy", "ecr:SetRegistryPolicy", "iam:UpdateAssumeRolePolicy",
            "glue:PutResourcePolicy", "logs:PutResourcePolicy", "events:PutPermission",
            "ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute",
            "rds:ModifyDBClusterSnapshotAttribute", "apigateway:UpdateRestApiPolicy",
            "backup:PutBackupVaultAccessPolicy", "cloudformation:SetStackPolicy", "ram:CreateResourceShare");

    /** Returning or creating credentials. */
    static final List<String> CREDENTIALS = List.of(
            "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:CreateServiceSpecificCredential",
            "iam:ResetServiceSpecificCredential", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
            "iam:UploadSSHPublicKey", "sts:GetFederationToken",
            "ecr:GetAuthorizationToken", "ecr-public:GetAuthorizationToken", "codeartifact:GetAuthorizationToken",
            "redshift:GetClusterCredentials", "redshift:GetClusterCredentialsWithIAM",
            "redshift-serverless:GetCredentials",
            "cognito-identity:GetCredentialsForIdentity", "cognito-identity:GetOpenIdToken",
            "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
            "sso:GetRoleCredentials", "ec2-instance-connect:SendSSHPublicKey", "ec2:GetPasswordData",
            "lightsail:GetInstanceAccessDetails", "lightsail:DownloadDefaultKeyPair",
            "gamelift:GetInstanceAccess", "gamelift:RequestUploadCredentials",
            "appsync:CreateApiKey", "chime:CreateApiKey", "rds:GenerateDBAuthToken");

    /** Credential actions that matter only on unconstrained resources. */
    static final List<String> CREDENTIALS_UNCONSTRAINED = List.of("sts:AssumeRole");

    final BitSet dataExfiltration;
    final BitSet resourceExposure;
    final BitSet credentials;
    final BitSet credentialsUnconstrained;
    final BitSet escalation;
    final BitSet passRole;
    final BitSet write;
    /** Everything the infrastructure-modification rule leaves to the other categories. */
    final BitSet categorised;
    /** High risk on any resource: escalation, exposure, credentials. */
    final BitSet highRisk;
    /** High risk on unconstrained resources only: data reads, sts:AssumeRole. */
    final BitSet highRiskUnconstrained;
    /** Per escalation method (same order as {@link EscalationMethod#ALL}): per group, the positions of its alternatives. */
    final int[][][] escalationPositions;

    /**
     * Actions whose name says they only read (Get…, List…, Describe…, Search…, View…, BatchGet…,
     * Validate…, Preview…, Simulate…). The catalog files a few of them under
     * Permissions management or Write (billing:GetResourcePolicy, backup:SearchRecoveryPoint,
     * secretsmanager:ValidateResourcePolicy, glue:GetStage, …); they change no policy and write
     * nothing, so they count neither as resource exposure nor (being left out of every category) as
     * infrastructure modification.
     */
    static final java.util.regex.Pattern READ_NAME =
            java.util.regex.Pattern.compile("^(Get|List|Describe|Search|View|BatchGet|Validate|Preview|Simulate)[A-Z].*");

    private static BitSet readNamed(ActionIndex index) {
        BitSet out = new BitSet(index.size());
        for (int i = 0; i < index.size(); i++) {
            String name = index.name(i);
            if (READ_NAME.matcher(name.substring(name.indexOf(':') + 1)).matches()) {
                out.set(i);
            }
        }
        return out;
    }

    RiskActions(ActionIndex index) {
        dataExfiltration = index.ofNames(DATA_EXFILTRATION);
        BitSet readNamed = readNamed(index);
        resourceExposure = index.ofNames(RESOURCE_EXPOSURE);
        BitSet permissionsManagement = (BitSet) index.level(AccessLevel.PERMISSIONS_MANAGEMENT).clone();
        BitSet readOnlyPermissions = (BitSet) permissionsManagement.clone();
        readOnlyPermissions.and(readNamed);
        permissionsManagement.andNot(readNamed);
        resourceExposure.or(permissionsManagement);
        credentials = index.ofNames(CREDENTIALS);
        credentialsUnconstrained = index.ofNames(CREDENTIALS_UNCONSTRAINED);
        escalation = new BitSet(index.size());
        for (EscalationMethod m : EscalationMethod.ALL) {
            for (List<String> group : m.required()) {
                escalation.or(index.ofNames(group));
            }
        }
        passRole = index.ofNames(List.of("iam:PassRole"));
        write = (BitSet) index.level(AccessLevel.WRITE).clone();
        write.andNot(readOnlyPermissions);
        categorised = new BitSet(index.size());
        for (BitSet b : List.of(dataExfiltration, resourceExposure, credentials, credentialsUnconstrained,
                escalation, passRole)) {
            categorised.or(b);
        }
        highRisk = new BitSet(index.size());
        highRisk.or(escalation);
        highRisk.or(resourceExposure);
        highRisk.or(credentials);
        highRiskUnconstrained = new BitSet(index.size());
        highRiskUnconstrained.or(dataExfiltration);
        highRiskUnconstrained.or(credentialsUnconstrained);
        escalationPositions = new int[EscalationMethod.ALL.size()][][];
        for (int m = 0; m < escalationPositions.length; m++) {
            List<List<String>> groups = EscalationMethod.ALL.get(m).required();
            escalationPositions[m] = new int[groups.size()][];
            for (int g = 0; g < groups.size(); g++) {
                escalationPositions[m][g] = groups.get(g).stream().mapToInt(index::position).filter(p -> p >= 0).toArray();
            }
        }
    }
}
