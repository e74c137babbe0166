package dev.posture.report;

import dev.posture.model.BaselineState;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Suppression;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Hand-built scan results covering every shape a report must handle. */
public final class ReportFixtures {
    private ReportFixtures() {
    }

    public static final String BASE_DIR = "/work/repo";
    public static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:Orders";
    public static final String IMAGE = "ghcr.io/acme/api:1.2@sha256:abc123";

    public static final Rule PRIVILEGED = new Rule("k8s-privileged", "Privileged container", Severity.CRITICAL,
            Surface.CONTAINER, Theme.RUNTIME, "privileged",
            "A privileged container has all host capabilities and device access.",
            "Remove `securityContext.privileged: true`.",
            List.of("https://kubernetes.io/docs/concepts/security/pod-security-standards/"));
    public static final Rule ADMIN = new Rule("iam-wildcard-admin", "Policy grants full admin", Severity.HIGH,
            Surface.SERVERLESS, Theme.IAM, "wildcard-admin",
            "The statement allows every action on every resource.", "Grant only the actions the function uses.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"));
    public static final Rule PUBLIC_INVOKE = new Rule("lambda-public-invoke", "Function can be invoked by anyone",
            Severity.HIGH, Surface.SERVERLESS, Theme.NETWORK, "public-invoke", null, null, null);
    public static final Rule IMAGE_ROOT = new Rule("image-run-as-root", "Image runs as root", Severity.MEDIUM,
            Surface.CONTAINER, Theme.IMAGE, "image-run-as-root", "The image config has no non-root User.",
            "Add a USER instruction.", List.of());
    public static final Rule ADD_COPY = new Rule("image-add-instead-of-copy", "ADD used for local files",
            Severity.INFO, Surface.CONTAINER, Theme.SUPPLY_CHAIN, "add-instead-of-copy", null, null, null);
    public static final Rule TRACING = new Rule("lambda-missing-tracing", "X-Ray tracing is not active",
            Severity.LOW, Surface.SERVERLESS, Theme.RUNTIME, "missing-tracing", null, "Set TracingConfig.Mode: Active.",
            List.of("not a uri"));

    public static final Target K8S = Target.scanned(TargetType.KUBERNETES, "k8s/deploy.yaml", "k8s/deploy.yaml");
    public static final Target K8S_DEBUG = Target.scanned(TargetType.KUBERNETES, "k8s/debug pod.yaml", null);
    public static final Target POLICY = Target.scanned(TargetType.IAM, "iam/policies/admin policy.json",
            BASE_DIR + "/iam/policies/admin policy.json");
    public static final Target IMG = Target.scanned(TargetType.IMAGE, IMAGE, "registry");
    public static final Target LAMBDA = Target.scanned(TargetType.LAMBDA, ARN, "aws:eu-west-1");
    public static final Target BROKEN = Target.failed(TargetType.IMAGE, "registry.example.com/broken:latest",
            "registry", "pull failed: 401 Unauthorized");

    /** Critical file finding with line and column, marked new against a baseline. */
    public static final Finding F_PRIVILEGED = Finding.builder(PRIVILEGED, K8S.ref())
            .resource("Deployment/shop/web").container("web")
            .location(Location.of("./k8s/deploy.yaml", 21, 11))
            .logicalLocation("Deployment/shop/web → containers[web]")
            .logicalPath("spec.template.spec.containers[name=web].securityContext.privileged")
            .message("Container \"web\" runs privileged").build().withBaselineState(BaselineState.NEW);
    /** File finding without a line, given with backslashes. */
    public static final Finding F_DEBUG = Finding.builder(PRIVILEGED, K8S_DEBUG.ref())
            .resource("Pod/shop/debug").container("sh")
            .location(Location.ofFile("k8s\\debug pod.yaml"))
            .logicalPath("spec.containers[name=sh].securityContext.privileged")
            .message("Container \"sh\" runs privileged").build();
    /** Absolute path under the base directory, with a space. */
    public static final Finding F_ADMIN = Finding.builder(ADMIN, POLICY.ref())
            .resource("AdminPolicy").location(Location.of(BASE_DIR + "/iam/policies/admin policy.json", 5, 0))
            .logicalLocation("policy AdminPolicy → statement 1").logicalPath("Statement[0]")
            .message("Statement 1 allows * on *").evidence("\"Action\": \"*\"").build()
            .withBaselineState(BaselineState.UNCHANGED);
    /** Live Lambda finding: no file. */
    public static final Finding F_PUBLIC = Finding.builder(PUBLIC_INVOKE, LAMBDA.ref())
            .resource("Orders").logicalLocation("function Orders → resource policy → statement 1")
            .logicalPath("resource_policy.Statement[0]")
            .message("Principal * may invoke Orders without a SourceArn condition").build();
    /** Image finding: no file, no path. */
    public static final Finding F_ROOT = Finding.builder(IMAGE_ROOT, IMG.ref())
            .resource(IMAGE).logicalLocation(IMAGE).logicalPath("config.User")
            .message("The image runs as root (User is empty)").build();
    /** Image finding with a path inside the image. */
    public static final Finding F_ADD = Finding.builder(ADD_COPY, IMG.ref())
            .resource(IMAGE).path("/app/config.yaml").logicalPath("history[4]")
            .message("Build step 5 uses ADD for local files").build();
    /** Suppressed live Lambda finding. */
    public static final Finding F_TRACING = Finding.builder(TRACING, LAMBDA.ref())
            .resource("Orders").logicalPath("function.TracingConfig")
            .message("Tracing is PassThrough").build()
            .withSuppression(new Suppression("tracing via OpenTelemetry", LocalDate.of(2027, 1, 31),
                    ".postureignore:3", "lambda-missing-tracing", null, null, "arn:aws:lambda:*", "Orders"));

    public static final FunctionSummary ORDERS_SUMMARY = new FunctionSummary(LAMBDA.ref(), "Orders", "OrdersRole",
            true, 14321, Map.of("Write", 5000, "List", 1200, "Read", 6000, "Tagging", 300,
            "Permissions management", 1821), List.of("iam:CreatePolicyVersion", "iam:PassRole"), "unknown", null);

    public static ScanResult full() {
        return new ScanResult("posture", "0.1.0-SNAPSHOT", "scan-42", Instant.parse("2026-11-26T10:15:30Z"),
                BASE_DIR,
                List.of(IMG, BROKEN, K8S, K8S_DEBUG, LAMBDA, POLICY),
                List.of(F_PRIVILEGED, F_DEBUG, F_ADMIN, F_PUBLIC, F_ROOT, F_TRACING, F_ADD),
                List.of(ORDERS_SUMMARY),
                List.of("ignore entry .postureignore:7 expired on 2026-01-01"));
    }

    public static ScanResult empty() {
        return new ScanResult("posture", "0.1.0", "scan-0", Instant.parse("2026-11-26T10:15:30Z"), null,
                List.of(K8S), List.of(), List.of(), List.of());
    }
}
