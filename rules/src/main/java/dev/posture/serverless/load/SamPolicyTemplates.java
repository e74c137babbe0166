package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.iam.model.Condition;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Statement;
import dev.posture.iam.parse.Intrinsics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS SAM policy templates ({@code S3CrudPolicy: {BucketName: !Ref B}} …) and the statements
 * each expands to, following the SAM policy template definitions. Parameters are substituted
 * symbolically ({@code !Ref B} → {@code ${B}}); partition, region and account stay as
 * {@code ${AWS::Partition}} etc.
 */
public final class SamPolicyTemplates {
    private static final Pattern PARAM = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");
    private static final String ARN = "arn:${AWS::Partition}:";
    private static final String RA = ":${AWS::Region}:${AWS::AccountId}:";
    private static final Map<String, List<Def>> TEMPLATES = new LinkedHashMap<>();

    /** One statement of a template: actions on resources ('*' or ARN patterns with ${Param}). */
    private record Def(List<String> actions, List<String> resources, String conditionKey, String conditionValue) {
    }

    private SamPolicyTemplates() {
    }

    private static Def st(String resources, String... actions) {
        return new Def(List.of(actions), List.of(resources.split("\\|")), null, null);
    }

    private static void def(String name, Def... statements) {
        TEMPLATES.put(name, List.of(statements));
    }

    private static String arn(String service, String rest) {
        return ARN + service + RA + rest;
    }

    static {
        String table = arn("dynamodb", "table/${TableName}");
        String tableIdx = table + "|" + table + "/index/*";
        String bucket = ARN + "s3:::${BucketName}";
        String buckets = bucket + "|" + bucket + "/*";
        String queue = arn("sqs", "${QueueName}");
        String identity = arn("ses", "identity/${IdentityName}");
        String collection = arn("rekognition", "collection/${CollectionId}");
        String stream = arn("kinesis", "stream/${StreamName}");
        String key = arn("kms", "key/${KeyId}");
        String delivery = arn("firehose", "deliverystream/${DeliveryStreamName}");

        def("SQSPollerPolicy", st(queue, "sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"));
        def("SQSSendMessagePolicy", st(queue, "sqs:SendMessage*"));
        def("LambdaInvokePolicy", st(arn("lambda", "function:${FunctionName}*"), "lambda:InvokeFunction"));
        def("CloudWatchDescribeAlarmHistoryPolicy", st("*", "cloudwatch:DescribeAlarmHistory"));
        def("CloudWatchPutMetricPolicy", st("*", "cloudwatch:PutMetricData"));
        def("CloudWatchDashboardPolicy", st("*", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards",
                "cloudwatch:PutDashboard", "cloudwatch:ListMetrics"));
        def("EC2DescribePolicy", st("*", "ec2:DescribeRegions", "ec2:DescribeInstances"));
        def("AMIDescribePolicy", st(arn("ec2", "image/*"), "ec2:DescribeImages"));
        def("EC2CopyImagePolicy", st(arn("ec2", "image/${ImageId}"), "ec2:CopyImage"));
        def("DynamoDBCrudPolicy", st(tableIdx, "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem",
                "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"));
        def("DynamoDBReadPolicy", st(tableIdx, "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query",
                "dynamodb:BatchGetItem", "dynamodb:DescribeTable"));
        def("DynamoDBWritePolicy", st(tableIdx, "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem"));
        def("DynamoDBReconfigurePolicy", st(table, "dynamodb:UpdateTable"));
        def("DynamoDBStreamReadPolicy",
                st(table + "/stream/${StreamName}", "dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator"),
                st(table + "/stream/*", "dynamodb:ListStreams"));
        def("DynamoDBBackupFullAccessPolicy",
                st(table, "dynamodb:CreateBackup", "dynamodb:DescribeContinuousBackups"),
                st(table + "/backup/*", "dynamodb:DeleteBackup", "dynamodb:DescribeBackup", "dynamodb:ListBackups"));
        def("DynamoDBRestoreFromBackupPolicy",
                st(table + "/backup/*", "dynamodb:RestoreTableFromBackup"),
                st(table, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
                        "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchWriteItem"));
        def("SESSendBouncePolicy", st(identity, "ses:SendBounce"));
        def("SESCrudPolicy", st(identity, "ses:GetIdentityVerificationAttributes", "ses:SendEmail",
                "ses:SendRawEmail", "ses:VerifyEmailIdentity"));
        def("SESBulkTemplatedCrudPolicy", st(identity, "ses:GetIdentityVerificationAttributes", "ses:SendEmail",
                "ses:SendRawEmail", "ses:SendTemplatedEmail", "ses:SendBulkTemplatedEmail",
                "ses:VerifyEmailIdentity"));
        def("SESEmailTemplateCrudPolicy", st("*", "ses:CreateTemplate", "ses:GetTemplate", "ses:ListTemplates",
                "ses:UpdateTemplate", "ses:DeleteTemplate", "ses:TestRenderTemplate"));
        def("ElasticsearchHttpPostPolicy", st(arn("es", "domain/${DomainName}/*"), "es:ESHttpPost",
                "es:ESHttpPut"));
        def("S3ReadPolicy", st(buckets, "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
                "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"));
        def("S3WritePolicy", st(buckets, "s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"));
        def("S3CrudPolicy", st(buckets, "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
                "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration", "s3:DeleteObject"));
        def("S3FullAccessPolicy",
                st(bucket + "/*", "s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject",
                        "s3:PutObjectAcl", "s3:DeleteObject", "s3:DeleteObjectTagging",
                        "s3:DeleteObjectVersionTagging", "s3:GetObjectTagging", "s3:GetObjectVersionTagging",
                        "s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
                st(bucket, "s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration",
                        "s3:PutLifecycleConfiguration"));
        def("CloudFormationDescribeStacksPolicy", st(arn("cloudformation", "stack/*"),
                "cloudformation:DescribeStacks"));
        def("RekognitionDetectOnlyPolicy", st("*", "rekognition:DetectFaces", "rekognition:DetectLabels",
                "rekognition:DetectModerationLabels", "rekognition:DetectText"));
        def("RekognitionNoDataAccessPolicy", st(collection, "rekognition:CompareFaces", "rekognition:DetectFaces",
                "rekognition:DetectLabels", "rekognition:DetectModerationLabels"));
        def("RekognitionReadPolicy", st(collection, "rekognition:ListCollections", "rekognition:ListFaces",
                "rekognition:SearchFaces", "rekognition:SearchFacesByImage"));
        def("RekognitionWriteOnlyAccessPolicy", st(collection, "rekognition:CreateCollection",
                "rekognition:IndexFaces"));
        def("RekognitionFacesManagementPolicy", st(collection, "rekognition:IndexFaces",
                "rekognition:DeleteFaces", "rekognition:SearchFaces", "rekognition:SearchFacesByImage",
                "rekognition:ListFaces"));
        def("RekognitionFacesPolicy", st("*", "rekognition:CompareFaces", "rekognition:DetectFaces"));
        def("RekognitionLabelsPolicy", st("*", "rekognition:DetectLabels", "rekognition:DetectModerationLabels"));
        def("SNSPublishMessagePolicy", st(arn("sns", "${TopicName}"), "sns:Publish"));
        def("SNSCrudPolicy", st(arn("sns", "${TopicName}*"), "sns:ListSubscriptionsByTopic", "sns:CreateTopic",
                "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"));
        def("VPCAccessPolicy", st("*", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface"));
        def("KinesisStreamReadPolicy",
                st(arn("kinesis", "stream/*"), "kinesis:ListStreams", "kinesis:DescribeLimits"),
                st(stream, "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                        "kinesis:GetShardIterator"));
        def("KinesisCrudPolicy", st(stream, "kinesis:AddTagsToStream", "kinesis:CreateStream",
                "kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream", "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod",
                "kinesis:ListTagsForStream", "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords",
                "kinesis:SplitShard", "kinesis:RemoveTagsFromStream"));
        def("KMSDecryptPolicy", st(key, "kms:Decrypt"));
        def("KMSEncryptPolicy", st(key, "kms:Encrypt"));
        def("PollyFullAccessPolicy",
                st(arn("polly", "lexicon/${LexiconName}"), "polly:GetLexicon", "polly:DeleteLexicon"),
                st(arn("polly", "lexicon/*"), "polly:DescribeVoices", "polly:ListLexicons", "polly:PutLexicon",
                        "polly:SynthesizeSpeech"));
        def("CodePipelineLambdaExecutionPolicy", st("*", "codepipeline:PutJobSuccessResult",
                "codepipeline:PutJobFailureResult"));
        def("CodePipelineReadOnlyPolicy", st(arn("codepipeline", "${PipelineName}"),
                "codepipeline:ListPipelineExecutions"));
        def("ServerlessRepoReadWriteAccessPolicy", st(arn("serverlessrepo", "applications/*"),
                "serverlessrepo:CreateApplication", "serverlessrepo:CreateApplicationVersion",
                "serverlessrepo:UpdateApplication", "serverlessrepo:GetApplication",
                "serverlessrepo:ListApplications", "serverlessrepo:ListApplicationVersions",
                "serverlessrepo:ListApplicationDependencies"));
        def("ComprehendBasicAccessPolicy", st("*", "comprehend:BatchDetectKeyPhrases",
                "comprehend:DetectDominantLanguage", "comprehend:DetectEntities", "comprehend:BatchDetectEntities",
                "comprehend:DetectKeyPhrases", "comprehend:DetectSentiment",
                "comprehend:BatchDetectDominantLanguage", "comprehend:BatchDetectSentiment"));
        def("AWSSecretsManagerRotationPolicy",
                new Def(List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                        "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"),
                        List.of(arn("secretsmanager", "secret:*")),
                        "secretsmanager:resource/AllowRotationLambdaArn",
                        arn("lambda", "function:${FunctionName}")),
                st("*", "secretsmanager:GetRandomPassword"));
        def("AWSSecretsManagerGetSecretValuePolicy", st("${SecretArn}", "secretsmanager:GetSecretValue"));
        def("MobileAnalyticsWriteOnlyAccessPolicy", st("*", "mobileanalytics:PutEvents"));
        def("PinpointEndpointAccessPolicy", st(arn("mobiletargeting", "apps/${PinpointApplicationId}/endpoints/*"),
                "mobiletargeting:GetEndpoint", "mobiletargeting:UpdateEndpoint",
                "mobiletargeting:UpdateEndpointsBatch"));
        def("FirehoseWritePolicy", st(delivery, "firehose:PutRecord", "firehose:PutRecordBatch"));
        def("FirehoseCrudPolicy", st(delivery, "firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream",
                "firehose:DescribeDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch",
                "firehose:UpdateDestination"));
        def("EKSDescribePolicy", st("*", "eks:DescribeCluster", "eks:ListClusters"));
        def("CostExplorerReadOnlyPolicy", st("*", "ce:GetCostAndUsage", "ce:GetDimensionValues",
                "ce:GetReservationCoverage", "ce:GetReservationPurchaseRecommendation",
                "ce:GetReservationUtilization", "ce:GetTags"));
        def("OrganizationsListAccountsPolicy", st("*", "organizations:ListAccounts"));
        def("FilterLogEventsPolicy", st(arn("logs", "log-group:${LogGroupName}:log-stream:*"),
                "logs:FilterLogEvents"));
        def("SSMParameterReadPolicy",
                st("*", "ssm:DescribeParameters"),
                st(arn("ssm", "parameter/${ParameterName}"), "ssm:GetParameters", "ssm:GetParameter",
                        "ssm:GetParametersByPath"));
        def("SSMParameterWithSlashPrefixReadPolicy",
                st("*", "ssm:DescribeParameters"),
                st(arn("ssm", "parameter${ParameterName}"), "ssm:GetParameters", "ssm:GetParameter",
                        "ssm:GetParametersByPath"));
        def("StepFunctionsExecutionPolicy", st(arn("states", "stateMachine:${StateMachineName}"),
                "states:StartExecution"));
        def("StepFunctionsCallbackPolicy", st(arn("states", "stateMachine:${StateMachineName}"),
                "states:SendTaskSuccess", "states:SendTaskFailure"));
        def("AthenaQueryPolicy",
                st("*", "athena:ListWorkGroups", "athena:GetExecutionEngine", "athena:GetExecutionEngines",
                        "athena:GetNamespace", "athena:GetCatalogs", "athena:GetNamespaces", "athena:GetTables",
                        "athena:GetTable"),
                st(arn("athena", "workgroup/${WorkGroupName}"), "athena:StartQueryExecution",
                        "athena:GetQueryResults", "athena:DeleteNamedQuery", "athena:GetNamedQuery",
                        "athena:ListQueryExecutions", "athena:StopQueryExecution", "athena:GetQueryResultsStream",
                        "athena:ListNamedQueries", "athena:CreateNamedQuery", "athena:GetQueryExecution",
                        "athena:BatchGetNamedQuery", "athena:BatchGetQueryExecution", "athena:GetWorkGroup"));
        def("TextractPolicy", st("*", "textract:*"));
        def("TextractDetectAnalyzePolicy", st("*", "textract:DetectDocumentText",
                "textract:StartDocumentTextDetection", "textract:StartDocumentAnalysis", "textract:AnalyzeDocument"));
        def("TextractGetResultPolicy", st("*", "textract:GetDocumentTextDetection", "textract:GetDocumentAnalysis"));
        def("EventBridgePutEventsPolicy", st(arn("events", "event-bus/${EventBusName}"), "events:PutEvents"));
        def("AcmGetCertificatePolicy", st("${CertificateArn}", "acm:GetCertificate"));
        def("Route53ChangeResourceRecordSetsPolicy", st(ARN + "route53:::hostedzone/${HostedZoneId}",
                "route53:ChangeResourceRecordSets"));
    }

    /** True when {@code name} is a known SAM policy template. */
    public static boolean isTemplate(String name) {
        return TEMPLATES.containsKey(name);
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(TEMPLATES.keySet());
    }

    /** The parameter names a template takes (from its ${Param} placeholders). */
    public static Set<String> parameters(String name) {
        Set<String> out = new LinkedHashSet<>();
        for (Def d : TEMPLATES.getOrDefault(name, List.of())) {
            List<String> all = new ArrayList<>(d.resources());
            if (d.conditionValue() != null) {
                all.add(d.conditionValue());
            }
            for (String r : all) {
                Matcher m = PARAM.matcher(r);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /**
     * Expands a template use into a policy document. {@code pointer} is where the template is used
     * (…/Policies/2/S3CrudPolicy); statement {@code i} gets {@code pointer/Statement/i}.
     *
     * @param params   the template's parameter object (may be empty or null)
     * @param origin   maps a pointer to an origin
     * @param missing  called with each parameter name the template needs but the use does not give
     * @return null when the template is unknown
     */
    static PolicyDocument expand(String name, JsonNode params, String pointer, Function<String, Origin> origin,
                                 BiConsumer<String, String> missing) {
        List<Def> defs = TEMPLATES.get(name);
        if (defs == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : parameters(name)) {
            JsonNode v = params == null ? null : params.get(p);
            if (v == null || v.isNull()) {
                missing.accept(p, pointer);
            } else {
                values.put(p, Intrinsics.text(v));
            }
        }
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < defs.size(); i++) {
            Def d = defs.get(i);
            List<String> resources = new ArrayList<>();
            for (String r : d.resources()) {
                resources.add(substitute(r, values));
            }
            List<Condition> conditions = d.conditionKey() == null ? List.of()
                    : List.of(new Condition("StringEquals", d.conditionKey(),
                    List.of(substitute(d.conditionValue(), values))));
            statements.add(new Statement(i, null, Effect.ALLOW, d.actions(), false, resources, false, null, false,
                    conditions, origin.apply(pointer + "/Statement/" + i)));
        }
        return new PolicyDocument("2012-10-17", statements, origin.apply(pointer));
    }

    private static String substitute(String template, Map<String, String> values) {
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
