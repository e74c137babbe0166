package dev.posture.serverless.aws;

import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects Lambda functions and the account's IAM roles and managed policies from a live AWS
 * account with the AWS SDK for Java v2, read-only, and normalises them to the IAM model.
 *
 * <p>Order of calls: STS {@code GetCallerIdentity} once (account id; on failure the scan goes on
 * with the account unknown), IAM {@code GetAccountAuthorizationDetails} once (all pages), then per
 * region Lambda {@code ListFunctions} (all pages) and per function the detail calls (see
 * {@link LambdaRegionReader}). Calls are sequential.
 *
 * <p>Failures never escape as exceptions: a failed call on one function fails that function's
 * target with the reason; a region whose functions cannot be listed gives one failed target
 * {@code aws-lambda:<region>}; unreadable authorization details give a failed IAM target
 * {@code aws-account:<id>} (functions are then scanned without their roles, with a warning).
 *
 * <p>Nothing is logged here, and credentials never appear in reasons.
 */
public final class LiveAwsCollector {

    /** Region used for the global IAM and STS calls when an endpoint override is set. */
    static final Region GLOBAL_SIGNING_REGION = Region.US_EAST_1;

    private final AwsOptions options;
    private final AwsClientSettings settings;

    public LiveAwsCollector(AwsOptions options) {
        this(options, AwsClientSettings.standard());
    }

    public LiveAwsCollector(AwsOptions options, AwsClientSettings settings) {
        this.options = options;
        this.settings = settings == null ? AwsClientSettings.standard() : settings;
    }

    /**
     * Runs the scan. Outcomes: one per collected function (type LAMBDA, name = function ARN,
     * source {@code aws:<region>}), one failed target per region that could not be listed, one
     * failed target per {@code --aws-function} name not found, and last one IAM target
     * {@code aws-account:<id>} (source {@code aws}) holding the roles no scanned function uses and
     * the customer managed policies attached to no role.
     */
    public List<AwsOutcome> collect() {
        List<AwsOutcome> outcomes = new ArrayList<>();
        SdkHttpClient http = null;
        AwsCredentialsProvider credentials = null;
        try {
            http = UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.socketTimeout())
                    .build();
            credentials = credentials();
            List<InputWarning> accountWarnings = new ArrayList<>();

            // 1. account id
            String accountId = null;
            String stsEndpoint = endpointLabel(options.stsEndpoint(), "https://sts.us-east-1.amazonaws.com");
            try (StsClient sts = StsClient.builder()
                    .httpClient(http).credentialsProvider(credentials)
                    .region(GLOBAL_SIGNING_REGION)
                    .overrideConfiguration(override())
                    .applyMutation(b -> { if (options.stsEndpoint() != null) b.endpointOverride(options.stsEndpoint()); })
                    .build()) {
                accountId = AwsErrors.call("sts:GetCallerIdentity", stsEndpoint,
                        () -> sts.getCallerIdentity().account());
            } catch (AwsErrors.CallFailed e) {
                accountWarnings.add(new InputWarning(e.getMessage() + "; account id unknown", Origin.live(null, "")));
            }
            String accountName = "aws-account:" + (accountId == null ? "unknown" : accountId);

            // 2. roles and managed policies
            IamAccountSnapshot iam = null;
            String iamFailure = null;
            String iamEndpoint = endpointLabel(options.iamEndpoint(), "https://iam.amazonaws.com");
            try (IamClient client = IamClient.builder()
                    .httpClient(http).credentialsProvider(credentials)
                    .region(options.iamEndpoint() != null ? GLOBAL_SIGNING_REGION : Region.AWS_GLOBAL)
                    .overrideConfiguration(override())
                    .applyMutation(b -> { if (options.iamEndpoint() != null) b.endpointOverride(options.iamEndpoint()); })
                    .build()) {
                iam = IamAccountSnapshot.read(client, iamEndpoint);
            } catch (AwsErrors.CallFailed e) {
                iamFailure = e.getMessage();
            }

            // 3. functions, region by region
            Set<String> usedRoles = new HashSet<>();
            Set<String> wanted = new LinkedHashSet<>(options.functionNames());
            Set<String> found = new HashSet<>();
            List<String> unlistedRegions = new ArrayList<>();
            List<String> regions = regions(outcomes);
            for (String region : regions) {
                String lambdaEndpoint = endpointLabel(options.lambdaEndpoint(), "https://lambda." + region + "." + dnsSuffix(region));
                try (LambdaClient lambda = LambdaClient.builder()
                        .httpClient(http).credentialsProvider(credentials)
                        .region(Region.of(region))
                        .overrideConfiguration(override())
                        .applyMutation(b -> { if (options.lambdaEndpoint() != null) b.endpointOverride(options.lambdaEndpoint()); })
                        .build()) {
                    LambdaRegionReader reader = new LambdaRegionReader(lambda, region, lambdaEndpoint, iam, iamFailure);
                    List<FunctionConfiguration> functions;
                    try {
                        functions = reader.listFunctions();
                    } catch (AwsErrors.CallFailed e) {
                        unlistedRegions.add(region);
                        outcomes.add(new AwsOutcome(Target.failed(TargetType.LAMBDA, "aws-lambda:" + region,
                                reader.source(), e.getMessage()), null));
                        continue;
                    }
                    for (FunctionConfiguration fn : functions) {
                        String match = match(fn, wanted);
                        if (!wanted.isEmpty() && match == null) {
                            continue;
                        }
                        found.add(match);
                        if (fn.role() != null) {
                            usedRoles.add(fn.role());
                        }
                        outcomes.add(reader.read(fn));
                    }
                }
            }
            for (String name : wanted) {
                if (!found.contains(name)) {
                    outcomes.add(new AwsOutcome(Target.failed(TargetType.LAMBDA, name, "aws",
                            "function " + name + " not found in region(s) " + String.join(", ", regions)
                                    + (unlistedRegions.isEmpty() ? "" : " (could not list: "
                                    + String.join(", ", unlistedRegions) + ")")), null));
                }
            }
            // Roles of versions/aliases count as used too.
            for (AwsOutcome o : outcomes) {
                o.app().functions().forEach(f -> { if (f.role() != null) usedRoles.add(f.role().arn()); });
            }

            // 4. the account: roles no scanned function uses, customer policies on no role
            if (iam == null) {
                outcomes.add(new AwsOutcome(Target.failed(TargetType.IAM, accountName, "aws", iamFailure), null));
            } else {
                outcomes.add(new AwsOutcome(Target.scanned(TargetType.IAM, accountName, "aws"),
                        accountApp(iam, usedRoles, accountWarnings)));
            }
            return outcomes;
        } catch (SdkException | IllegalArgumentException | IllegalStateException e) {
            // configuration problems (bad region name, unreadable profile): one failed target, no exception
            outcomes.add(new AwsOutcome(Target.failed(TargetType.IAM, "aws-account:unknown", "aws",
                    "AWS client setup failed: " + e.getMessage()), null));
            return outcomes;
        } finally {
            if (http != null) {
                http.close();
            }
            if (credentials instanceof AutoCloseable c && options.credentials() == null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // nothing to do
                }
            }
        }
    }

    private static ServerlessApp accountApp(IamAccountSnapshot iam, Set<String> usedRoles, List<InputWarning> warnings) {
        List<Role> roles = new ArrayList<>();
        List<InputWarning> all = new ArrayList<>(warnings);
        for (Role r : iam.roles.values()) {
            if (!usedRoles.contains(r.arn())) {
                roles.add(r);
                all.addAll(iam.roleWarnings.getOrDefault(r.arn(), List.of()));
            }
        }
        List<Policy> policies = new ArrayList<>();
        for (Policy p : iam.managedPolicies.values()) {
            if (p.kind() == PolicyKind.CUSTOMER_MANAGED && !iam.attachedToRoles.contains(p.arn())) {
                policies.add(p);
                all.addAll(iam.policyWarnings.getOrDefault(p.arn(), List.of()));
            }
        }
        return new ServerlessApp(List.of(), roles, policies, all);
    }

    /** The name in the filter that selects this function, or null. Names and ARNs both match. */
    private static String match(FunctionConfiguration fn, Set<String> wanted) {
        for (String w : wanted) {
            if (w.equals(fn.functionName()) || w.equals(fn.functionArn())) {
                return w;
            }
        }
        return null;
    }

    private List<String> regions(List<AwsOutcome> outcomes) {
        if (!options.regions().isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(options.regions()));
        }
        try {
            DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
            if (options.profile() != null) {
                chain.profileName(options.profile());
            }
            return List.of(chain.build().getRegion().id());
        } catch (SdkException e) {
            outcomes.add(new AwsOutcome(Target.failed(TargetType.LAMBDA, "aws-lambda:unknown-region", "aws",
                    "no AWS region: pass --aws-region, or set AWS_REGION or a region in the profile ("
                            + e.getMessage() + ")"), null));
            return List.of();
        }
    }

    private AwsCredentialsProvider credentials() {
        if (options.credentials() != null) {
            return options.credentials();
        }
        if (options.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(options.profile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private ClientOverrideConfiguration override() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .retryStrategy(settings.retryStrategy());
        if (settings.apiCallTimeout() != null) {
            b.apiCallTimeout(settings.apiCallTimeout());
        }
        if (settings.apiCallAttemptTimeout() != null) {
            b.apiCallAttemptTimeout(settings.apiCallAttemptTimeout());
        }
        return b.build();
    }

    /** amazonaws.com, amazonaws.com.cn, … for the region's partition (for reasons only). */
    private static String dnsSuffix(String region) {
        try {
            RegionMetadata m = Region.of(region).metadata();
            String suffix = m == null || m.partition() == null ? null : m.partition().dnsSuffix();
            return suffix == null ? "amazonaws.com" : suffix;
        } catch (RuntimeException e) {
            return "amazonaws.com";
        }
    }

    private static String endpointLabel(URI override, String real) {
        return override != null ? override.toString() : real;
    }
}
