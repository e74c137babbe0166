package dev.posture.iam.analysis;

import dev.posture.iam.catalog.ActionCatalog;
import dev.posture.iam.catalog.Catalogs;
import dev.posture.iam.model.Condition;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: whole-analysis throughput in policies/second. One operation analyses 10,000 generated policies (1–8
 * statements: exact actions, service and mid-name wildcards, {@code *}, NotAction, Deny, conditions, typos), each
 * as its own {@link ServerlessApp}, on the benchmark thread; the bundled catalog and the analyzer are built once per
 * trial. {@link #effectivePermissions} measures the effective-permission computation alone.
 * Run with {@code scripts/bench-iam-jmh.sh} (pinned to one core; {@code BENCH_CORES=all} for both cores).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IamAnalysisBenchmark {
    static final int POLICIES = 10_000;
    private static final String[] SERVICES = {"s3", "dynamodb", "lambda", "sqs", "sns", "kms", "secretsmanager", "ssm",
            "logs", "ec2", "iam", "sts", "events", "states", "xray", "cloudwatch", "ecr", "glue", "athena", "kinesis"};
    private static final String[] VERBS = {"Get*", "List*", "Put*", "Describe*", "*", "Create*", "Delete*", "Update*"};

    private IamAnalyzer analyzer;
    private List<Policy> policies;
    private TargetRef target;

    @Setup(Level.Trial)
    public void setup() {
        ActionCatalog catalog = Catalogs.bundled();
        analyzer = new IamAnalyzer(catalog, ManagedPolicyResolver.bundled(), Clock.systemUTC());
        policies = generate(POLICIES, new ArrayList<>(catalog.allActions()), new Random(42));
        target = new TargetRef(TargetType.IAM, "bench");
    }

    /** Full analysis (findings of every IAM rule) of 10,000 policies; score = policies/s. */
    @Benchmark
    @OperationsPerInvocation(POLICIES)
    public long analyse() {
        long findings = 0;
        for (Policy p : policies) {
            findings += analyzer.analyze(new ServerlessApp(List.of(), List.of(), List.of(p), List.of()), target)
                    .findings().size();
        }
        return findings;
    }

    /** Effective permissions only (wildcard expansion and set algebra) of 10,000 policies; score = policies/s. */
    @Benchmark
    @OperationsPerInvocation(POLICIES)
    public long effectivePermissions() {
        long granted = 0;
        for (Policy p : policies) {
            granted += analyzer.effectivePermissions(p).grantedCount();
        }
        return granted;
    }

    static List<Policy> generate(int n, List<String> actions, Random rnd) {
        List<Policy> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int statements = 1 + rnd.nextInt(8);
            List<Statement> st = new ArrayList<>();
            for (int j = 0; j < statements; j++) {
                List<String> acts = new ArrayList<>();
                int k = 1 + rnd.nextInt(6);
                for (int a = 0; a < k; a++) {
                    int kind = rnd.nextInt(10);
                    if (kind < 6) {
                        acts.add(actions.get(rnd.nextInt(actions.size())));
                    } else if (kind < 9) {
                        acts.add(SERVICES[rnd.nextInt(SERVICES.length)] + ":" + VERBS[rnd.nextInt(VERBS.length)]);
                    } else {
                        acts.add(rnd.nextInt(20) == 0 ? "*" : "s3:GetObjekt");
                    }
                }
                boolean deny = rnd.nextInt(6) == 0;
                boolean notAction = rnd.nextInt(25) == 0;
                List<String> res = switch (rnd.nextInt(4)) {
                    case 0 -> List.of("*");
                    case 1 -> List.of("arn:aws:s3:::bucket-" + i + "/*");
                    case 2 -> List.of("arn:aws:dynamodb:eu-west-1:111122223333:table/T" + j, "${Table.Arn}");
                    default -> List.of("arn:aws:iam::*:role/*");
                };
                List<Condition> cond = rnd.nextInt(5) == 0
                        ? List.of(new Condition("StringEquals", "aws:RequestedRegion", List.of("eu-west-1"))) : List.of();
                st.add(new Statement(j, null, deny ? Effect.DENY : Effect.ALLOW, acts, notAction, res, false, null, false,
                        cond, null));
            }
            out.add(new Policy("p" + i, PolicyKind.CUSTOMER_MANAGED, null, new PolicyDocument("2012-10-17", st, null), null));
        }
        return out;
    }
}
