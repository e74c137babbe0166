package dev.posture.iam.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.iam.catalog.ActionCatalog;
import dev.posture.iam.catalog.Catalogs;
import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.parse.PolicyParser;
import dev.posture.model.Finding;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Test helpers: build the IAM model directly, parse policy JSON, run the analyzer. */
final class Iam {
    private Iam() {
    }

    static final ActionCatalog CATALOG = Catalogs.bundled();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    static final TargetRef TARGET = new TargetRef(TargetType.LAMBDA, "template.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    static IamAnalyzer analyzer() {
        return new IamAnalyzer(CATALOG, ManagedPolicyResolver.none(), CLOCK);
    }

    static IamAnalyzer analyzer(Map<String, PolicyDocument> managed) {
        return new IamAnalyzer(CATALOG, ManagedPolicyResolver.of(managed), CLOCK);
    }

    /** Parses a policy document; single quotes are accepted for readability and turned into double quotes. */
    static PolicyDocument doc(String json) {
        try {
            return new PolicyParser(null, null).parse(JSON.readTree(json.replace('\'', '"')), "").document();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Policy inline(String name, String json) {
        return new Policy(name, PolicyKind.INLINE, null, doc(json), null);
    }

    static Policy managedRef(String name, String arn) {
        return new Policy(name, PolicyKind.AWS_MANAGED, arn, null, null);
    }

    static Role role(String name, Policy... policies) {
        return new Role(name, null, List.of(policies), null, null, null);
    }

    static Role bounded(String name, Policy boundary, Policy... policies) {
        return new Role(name, null, List.of(policies), boundary, null, null);
    }

    /** A well-configured Zip function (tracing active, code signing, not async) with the given role. */
    static LambdaFunction fn(String name, Role role) {
        return new LambdaFunction(name, null, "python3.13", "Zip", null, List.of(), "Active", null, false,
                "arn:aws:lambda:eu-west-1:111122223333:code-signing-config:csc-1", role, null, List.of(), Origin.UNKNOWN);
    }

    static LambdaFunction withResourcePolicy(LambdaFunction f, String arn, String json) {
        return new LambdaFunction(f.name(), arn, f.runtime(), f.packageType(), f.imageUri(), f.environment(),
                f.tracingMode(), f.deadLetterTarget(), f.asyncInvoked(), f.codeSigningConfigArn(), f.role(),
                doc(json), f.urls(), f.origin());
    }

    static LambdaFunction withUrls(LambdaFunction f, FunctionUrl... urls) {
        return new LambdaFunction(f.name(), f.arn(), f.runtime(), f.packageType(), f.imageUri(), f.environment(),
                f.tracingMode(), f.deadLetterTarget(), f.asyncInvoked(), f.codeSigningConfigArn(), f.role(),
                f.resourcePolicy(), List.of(urls), f.origin());
    }

    static LambdaFunction withEnv(LambdaFunction f, EnvVar... env) {
        return new LambdaFunction(f.name(), f.arn(), f.runtime(), f.packageType(), f.imageUri(), List.of(env),
                f.tracingMode(), f.deadLetterTarget(), f.asyncInvoked(), f.codeSigningConfigArn(), f.role(),
                f.resourcePolicy(), f.urls(), f.origin());
    }

    static LambdaFunction withRuntime(LambdaFunction f, String runtime) {
        return new LambdaFunction(f.name(), f.arn(), runtime, f.packageType(), f.imageUri(), f.environment(),
                f.tracingMode(), f.deadLetterTarget(), f.asyncInvoked(), f.codeSigningConfigArn(), f.role(),
                f.resourcePolicy(), f.urls(), f.origin());
    }

    static ServerlessApp app(LambdaFunction... fns) {
        return new ServerlessApp(List.of(fns), List.of(), List.of(), List.of());
    }

    static ServerlessApp policies(Policy... ps) {
        return new ServerlessApp(List.of(), List.of(), List.of(ps), List.of());
    }

    /** Analyses one function whose role has the given inline policy. */
    static AnalysisResult analyseInline(String json) {
        return analyzer().analyze(app(fn("Fn", role("FnRole", inline("p", json)))), TARGET);
    }

    static List<String> ruleIds(AnalysisResult r) {
        return r.findings().stream().map(f -> f.rule().id()).toList();
    }

    static List<Finding> of(AnalysisResult r, String rule) {
        return r.findings(rule);
    }
}
