package dev.posture.serverless.load;

import dev.posture.iam.catalog.ManagedPolicies;
import dev.posture.iam.model.Condition;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Principal;
import dev.posture.iam.model.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Small AWS naming rules shared by the loaders. */
final class Aws {
    private Aws() {
    }

    /** AWS managed policies that live under the service-role/ path (when the bundled list lacks them). */
    private static final Set<String> SERVICE_ROLE_POLICIES = Set.of(
            "AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaKinesisExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaRole",
            "AWSLambdaENIManagementAccess", "AWSLambdaMSKExecutionRole", "AWSConfigRulesExecutionRole",
            "AWSLambdaBasicDurableExecutionRolePolicy");

    /** Service principals whose invocations of Lambda are asynchronous. */
    private static final Set<String> ASYNC_SERVICES = Set.of(
            "s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com", "logs.amazonaws.com",
            "iot.amazonaws.com", "cognito-idp.amazonaws.com", "ses.amazonaws.com", "scheduler.amazonaws.com",
            "config.amazonaws.com", "codecommit.amazonaws.com", "alexa-appkit.amazon.com");

    static boolean isAsyncService(String principal) {
        return principal != null && ASYNC_SERVICES.contains(servicePrincipal(principal).toLowerCase(Locale.ROOT));
    }

    /** True for a service principal, also written with CloudFormation's ${AWS::URLSuffix}. */
    static boolean isService(String principal) {
        String p = servicePrincipal(principal);
        return p.endsWith(".amazonaws.com") || p.endsWith(".amazon.com") || p.endsWith(".amazonaws.com.cn");
    }

    /** "s3.${AWS::URLSuffix}" (CDK) → "s3.amazonaws.com". */
    static String servicePrincipal(String principal) {
        return principal == null ? "" : principal.replace("${AWS::URLSuffix}", "amazonaws.com");
    }

    /**
     * The ARN of the AWS managed policy a bare name (SAM {@code Policies}) means, with its real path
     * from the bundled list of every AWS managed policy ({@code service-role/AmazonAPIGatewayPushToCloudWatchLogs}).
     * A name AWS does not have keeps the guess {@code arn:aws:iam::aws:policy/NAME}; the analysis reports it.
     */
    static String awsManagedArn(String name) {
        return ManagedPolicies.bundled().arnOf(name).orElseGet(() ->
                "arn:aws:iam::aws:policy/" + (SERVICE_ROLE_POLICIES.contains(name) ? "service-role/" : "") + name);
    }

    /** True for arn:aws:iam::aws:policy/... in any partition, including symbolic ${AWS::Partition}. */
    static boolean isAwsManagedArn(String arn) {
        return arn != null && arn.startsWith("arn:") && arn.contains(":iam::aws:policy/");
    }

    /** The ARN in the aws partition: arn:${AWS::Partition}:iam::aws:policy/X → arn:aws:iam::aws:policy/X. */
    static String normaliseAwsManagedArn(String arn) {
        int i = arn.indexOf(":iam::aws:policy/");
        return "arn:aws" + arn.substring(i);
    }

    static String lastSegment(String s) {
        int i = Math.max(s.lastIndexOf('/'), s.lastIndexOf(':'));
        return i < 0 ? s : s.substring(i + 1);
    }

    /** A managed policy reference that is not defined in the input: AWS managed or an unresolved ARN. */
    static Policy managedPolicy(String arnOrName, Origin origin) {
        if (isAwsManagedArn(arnOrName)) {
            String arn = normaliseAwsManagedArn(arnOrName);
            return new Policy(lastSegment(arn), PolicyKind.AWS_MANAGED, arn, null, origin);
        }
        if (arnOrName.startsWith("arn:")) {
            return new Policy(lastSegment(arnOrName), PolicyKind.CUSTOMER_MANAGED, arnOrName, null, origin);
        }
        return new Policy(arnOrName, PolicyKind.AWS_MANAGED, awsManagedArn(arnOrName), null, origin);
    }

    /** Function name from arn:aws:lambda:region:account:function:NAME[:qualifier], or null. */
    static String functionNameFromArn(String arn) {
        if (arn == null) {
            return null;
        }
        int i = arn.indexOf(":function:");
        if (!arn.startsWith("arn:") || i < 0) {
            return null;
        }
        String rest = arn.substring(i + ":function:".length());
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        return name.isEmpty() || name.equals("*") ? null : name;
    }

    /** arn:…:function:NAME without a :qualifier suffix, or null. */
    static String unqualifiedFunctionArn(String arn) {
        String name = functionNameFromArn(arn);
        if (name == null) {
            return null;
        }
        return arn.substring(0, arn.indexOf(":function:") + ":function:".length()) + name;
    }

    /** Role name from arn:aws:iam::account:role/path/NAME, or the text itself. */
    static String roleNameFromArn(String arn) {
        if (arn != null && arn.startsWith("arn:") && arn.contains(":role/")) {
            return arn.substring(arn.lastIndexOf('/') + 1);
        }
        return arn;
    }

    /** A principal as written in a Lambda permission: "*", a service, an account or an ARN. */
    static Principal permissionPrincipal(String p) {
        if (p == null || p.equals("*")) {
            return Principal.anyone();
        }
        if (isService(p)) {
            return new Principal(Map.of("Service", List.of(servicePrincipal(p))));
        }
        return new Principal(Map.of("AWS", List.of(p)));
    }

    /**
     * The statement that a Lambda AddPermission / AWS::Lambda::Permission / aws_lambda_permission
     * adds to the function's resource policy.
     */
    static Statement permissionStatement(String sid, String action, String principal, String resource,
                                         String sourceArn, String sourceAccount, String principalOrgId,
                                         String functionUrlAuthType, Origin origin) {
        List<Condition> conditions = new ArrayList<>();
        if (notBlank(sourceArn)) {
            conditions.add(new Condition("ArnLike", "aws:SourceArn", List.of(sourceArn)));
        }
        if (notBlank(sourceAccount)) {
            conditions.add(new Condition("StringEquals", "aws:SourceAccount", List.of(sourceAccount)));
        }
        if (notBlank(principalOrgId)) {
            conditions.add(new Condition("StringEquals", "aws:PrincipalOrgID", List.of(principalOrgId)));
        }
        if (notBlank(functionUrlAuthType)) {
            conditions.add(new Condition("StringEquals", "lambda:FunctionUrlAuthType", List.of(functionUrlAuthType)));
        }
        return new Statement(0, sid, Effect.ALLOW, List.of(action == null || action.isBlank()
                ? "lambda:InvokeFunction" : action), false,
                resource == null ? List.of() : List.of(resource), false, permissionPrincipal(principal), false,
                conditions, origin);
    }

    static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** File name without directories and extension, for naming things that have no name of their own. */
    static String baseName(String file) {
        String f = file.replace('\\', '/');
        f = f.substring(f.lastIndexOf('/') + 1);
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
