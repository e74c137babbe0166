package dev.posture.serverless.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.iam.parse.PolicyParser;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.Cors;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionEventInvokeConfigResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads the Lambda functions of one region. Every function becomes one outcome; a failed call on
 * one function fails that function only.
 *
 * <p>Aliases and versions: the unqualified function is one {@link LambdaFunction} with its
 * unqualified resource policy and URL. An alias or published version that has its <em>own</em>
 * resource policy, or (aliases only) its own function URL, becomes an extra {@link LambdaFunction}
 * named {@code fn:qualifier} with the qualified ARN, the configuration (runtime, role, environment,
 * tracing, DLQ) of the version it points at, its own policy and URL. They belong to the same
 * target as the function. Qualifiers without their own policy or URL add nothing and are omitted.
 */
final class LambdaRegionReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Services that invoke Lambda synchronously only; any other invoker may invoke asynchronously. */
    private static final Set<String> SYNC_SERVICES = Set.of("apigateway.amazonaws.com",
            "elasticloadbalancing.amazonaws.com", "lex.amazonaws.com", "cognito-idp.amazonaws.com",
            "alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com", "vpc-lattice.amazonaws.com");

    private final LambdaClient lambda;
    private final String region;
    private final String endpoint;
    private final IamAccountSnapshot iam;
    private final String iamFailure;

    /**
     * @param iam        the account snapshot, or null when it could not be read
     * @param iamFailure why the snapshot is missing (for warnings), else null
     */
    LambdaRegionReader(LambdaClient lambda, String region, String endpoint, IamAccountSnapshot iam, String iamFailure) {
        this.lambda = lambda;
        this.region = region;
        this.endpoint = endpoint;
        this.iam = iam;
        this.iamFailure = iamFailure;
    }

    String source() {
        return "aws:" + region;
    }

    /** ListFunctions, all pages. Throws {@link AwsErrors.CallFailed} when the region cannot be listed. */
    List<FunctionConfiguration> listFunctions() {
        return call("lambda:ListFunctions", () -> {
            List<FunctionConfiguration> all = new ArrayList<>();
            lambda.listFunctionsPaginator(r -> { }).functions().forEach(all::add);
            return all;
        });
    }

    /** Everything about one function; never throws for API failures (they become a failed target). */
    AwsOutcome read(FunctionConfiguration fn) {
        String arn = fn.functionArn();
        try {
            return new AwsOutcome(Target.scanned(TargetType.LAMBDA, arn, source()), collect(fn));
        } catch (AwsErrors.CallFailed e) {
            return new AwsOutcome(Target.failed(TargetType.LAMBDA, arn, source(), e.getMessage()), null);
        }
    }

    private ServerlessApp collect(FunctionConfiguration fn) {
        String name = fn.functionName();
        String arn = fn.functionArn();
        List<InputWarning> warnings = new ArrayList<>();

        PolicyDocument policy = resourcePolicy(name, null, arn, warnings);
        List<FunctionUrl> urls = new ArrayList<>();
        url(name, null, arn).ifPresent(urls::add);
        Optional<GetFunctionEventInvokeConfigResponse> invokeConfig = eventInvokeConfig(name, null);
        String codeSigning = call("lambda:GetFunctionCodeSigningConfig",
                () -> notFoundAsEmpty(() -> lambda.getFunctionCodeSigningConfig(r -> r.functionName(name))))
                .map(r -> blankToNull(r.codeSigningConfigArn())).orElse(null);
        String imageUri = isImage(fn) ? imageUri(name, null) : null;

        List<LambdaFunction> functions = new ArrayList<>();
        Role role = role(fn, warnings);
        functions.add(function(name, arn, fn, imageUri, invokeConfig, codeSigning, role, policy, urls));

        // Published versions (not $LATEST) with their own resource policy.
        Map<String, FunctionConfiguration> versions = new LinkedHashMap<>();
        call("lambda:ListVersionsByFunction", () -> {
            lambda.listVersionsByFunctionPaginator(r -> r.functionName(name)).versions()
                    .forEach(v -> versions.put(v.version(), v));
            return null;
        });
        for (FunctionConfiguration v : versions.values()) {
            if ("$LATEST".equals(v.version())) {
                continue;
            }
            String qArn = qualifiedArn(arn, v.version());
            PolicyDocument vPolicy = resourcePolicy(name, v.version(), qArn, warnings);
            if (vPolicy != null) {
                functions.add(function(name + ":" + v.version(), qArn, v,
                        isImage(v) ? imageUri(name, v.version()) : null, eventInvokeConfig(name, v.version()),
                        codeSigning, role(v, warnings), vPolicy, List.of()));
            }
        }

        // Aliases with their own resource policy or URL.
        List<AliasConfiguration> aliases = new ArrayList<>();
        call("lambda:ListAliases", () -> {
            lambda.listAliasesPaginator(r -> r.functionName(name)).aliases().forEach(aliases::add);
            return null;
        });
        for (AliasConfiguration alias : aliases) {
            String qArn = alias.aliasArn() != null ? alias.aliasArn() : qualifiedArn(arn, alias.name());
            PolicyDocument aPolicy = resourcePolicy(name, alias.name(), qArn, warnings);
            Optional<FunctionUrl> aUrl = url(name, alias.name(), qArn);
            if (aPolicy == null && aUrl.isEmpty()) {
                continue;
            }
            FunctionConfiguration target = versions.getOrDefault(alias.functionVersion(), fn);
            functions.add(function(name + ":" + alias.name(), qArn, target,
                    isImage(target) ? imageUri(name, alias.name()) : null, eventInvokeConfig(name, alias.name()),
                    codeSigning, role(target, warnings), aPolicy, aUrl.map(List::of).orElse(List.of())));
        }
        return new ServerlessApp(functions, List.of(), List.of(), warnings);
    }

    private LambdaFunction function(String name, String arn, FunctionConfiguration cfg, String imageUri,
                                    Optional<GetFunctionEventInvokeConfigResponse> invokeConfig, String codeSigning,
                                    Role role, PolicyDocument policy, List<FunctionUrl> urls) {
        List<EnvVar> env = new ArrayList<>();
        if (cfg.environment() != null && cfg.environment().hasVariables()) {
            new TreeMap<>(cfg.environment().variables()).forEach((k, v) -> env.add(
                    new EnvVar(k, v, Origin.live(arn, "/Environment/Variables/" + IamAccountSnapshot.pointerToken(k)))));
        }
        String tracing = cfg.tracingConfig() == null ? null : cfg.tracingConfig().modeAsString();
        String dlq = cfg.deadLetterConfig() == null ? null : blankToNull(cfg.deadLetterConfig().targetArn());
        if (dlq == null) {
            dlq = invokeConfig.map(c -> c.destinationConfig() == null || c.destinationConfig().onFailure() == null
                    ? null : blankToNull(c.destinationConfig().onFailure().destination())).orElse(null);
        }
        String packageType = cfg.packageTypeAsString() == null ? "Zip" : cfg.packageTypeAsString();
        return new LambdaFunction(name, arn, cfg.runtimeAsString(), packageType, imageUri, env, tracing, dlq,
                asyncInvoked(policy, invokeConfig.isPresent()), codeSigning, role, policy, urls,
                Origin.live(arn, ""));
    }

    /**
     * Live data does not say who invokes a function asynchronously. It counts as async-invoked
     * (unknown) unless its resource policy exists and only lets synchronous services (API Gateway,
     * ELB, Lex, Cognito, Alexa, VPC Lattice) or function-URL callers invoke it; an event invoke
     * configuration always means async.
     */
    static boolean asyncInvoked(PolicyDocument policy, boolean hasEventInvokeConfig) {
        if (hasEventInvokeConfig || policy == null) {
            return true;
        }
        boolean anyAllow = false;
        for (Statement s : policy.statements()) {
            if (!s.allows()) {
                continue;
            }
            anyAllow = true;
            boolean urlOnly = !s.notAction() && !s.actions().isEmpty() && s.actions().stream()
                    .allMatch(a -> a.equalsIgnoreCase("lambda:InvokeFunctionUrl"));
            if (urlOnly) {
                continue;
            }
            if (s.principal() == null || s.notPrincipal()) {
                return true;
            }
            for (Map.Entry<String, List<String>> e : s.principal().byType().entrySet()) {
                if (!e.getKey().equals("Service")) {
                    return true;
                }
                for (String svc : e.getValue()) {
                    if (!SYNC_SERVICES.contains(svc.toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
            }
        }
        return !anyAllow;
    }

    private Role role(FunctionConfiguration cfg, List<InputWarning> warnings) {
        String roleArn = cfg.role();
        if (roleArn == null) {
            return null;
        }
        Origin origin = Origin.live(cfg.functionArn(), "/Role");
        if (iam == null) {
            addOnce(warnings, new InputWarning("execution role " + roleArn
                    + " could not be resolved: the account's IAM authorization details are unavailable ("
                    + iamFailure + ")", origin));
            return null;
        }
        Role role = iam.roles.get(roleArn);
        if (role == null) {
            addOnce(warnings, new InputWarning("execution role " + roleArn
                    + " is not in the account's authorization details (another account, or deleted)", origin));
            return null;
        }
        for (InputWarning w : iam.roleWarnings.getOrDefault(roleArn, List.of())) {
            addOnce(warnings, w);
        }
        return role;
    }

    private static void addOnce(List<InputWarning> warnings, InputWarning w) {
        if (!warnings.contains(w)) {
            warnings.add(w);
        }
    }

    private PolicyDocument resourcePolicy(String name, String qualifier, String arn, List<InputWarning> warnings) {
        Optional<String> text = call("lambda:GetPolicy" + (qualifier == null ? "" : "(Qualifier=" + qualifier + ")"),
                () -> notFoundAsEmpty(() -> lambda.getPolicy(r -> r.functionName(name).qualifier(qualifier))))
                .map(r -> blankToNull(r.policy()));
        if (text.isEmpty()) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text.get());
        } catch (JsonProcessingException e) {
            warnings.add(new InputWarning("resource policy of " + arn + " is not valid JSON ("
                    + e.getOriginalMessage() + "); skipped", Origin.live(arn, "")));
            return null;
        }
        PolicyParser.Result result = new PolicyParser(null, arn).parse(node, "");
        warnings.addAll(result.warnings());
        return result.document();
    }

    private Optional<FunctionUrl> url(String name, String qualifier, String arn) {
        Optional<GetFunctionUrlConfigResponse> r = call(
                "lambda:GetFunctionUrlConfig" + (qualifier == null ? "" : "(Qualifier=" + qualifier + ")"),
                () -> notFoundAsEmpty(() -> lambda.getFunctionUrlConfig(b -> b.functionName(name).qualifier(qualifier))));
        return r.map(u -> {
            Cors cors = u.cors();
            List<String> origins = cors == null || !cors.hasAllowOrigins() ? List.of() : cors.allowOrigins();
            boolean creds = cors != null && Boolean.TRUE.equals(cors.allowCredentials());
            return new FunctionUrl(u.authTypeAsString(), origins, creds, qualifier, Origin.live(arn, "/FunctionUrlConfig"));
        });
    }

    private Optional<GetFunctionEventInvokeConfigResponse> eventInvokeConfig(String name, String qualifier) {
        return call("lambda:GetFunctionEventInvokeConfig" + (qualifier == null ? "" : "(Qualifier=" + qualifier + ")"),
                () -> notFoundAsEmpty(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)
                        .qualifier(qualifier))));
    }

    private String imageUri(String name, String qualifier) {
        return call("lambda:GetFunction" + (qualifier == null ? "" : "(Qualifier=" + qualifier + ")"),
                () -> notFoundAsEmpty(() -> lambda.getFunction(r -> r.functionName(name).qualifier(qualifier))))
                .map(r -> r.code() == null ? null : blankToNull(r.code().imageUri())).orElse(null);
    }

    private static boolean isImage(FunctionConfiguration cfg) {
        return cfg.packageType() == PackageType.IMAGE;
    }

    private static String qualifiedArn(String arn, String qualifier) {
        return arn + ":" + qualifier;
    }

    private <T> T call(String operation, Supplier<T> s) {
        return AwsErrors.call(operation, endpoint, s);
    }

    private static <T> Optional<T> notFoundAsEmpty(Supplier<T> s) {
        try {
            return Optional.ofNullable(s.get());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
