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

/**
 * Whole-analysis throughput: analyses N generated policies (standalone, one {@link ServerlessApp}
 * each) on the calling thread with the bundled catalog loaded once, and prints policies/second.
 * Not a test (never asserts time); run by hand:
 *
 * <pre>
 * ./mvnw -q -o -pl rules -am test-compile
 * java -cp "rules/target/test-classes:rules/target/classes:$(cat /tmp/cp.txt)" dev.posture.iam.analysis.IamAnalysisBenchmark 10000
 * </pre>
 */
public final class IamAnalysisBenchmark {
    private static final String[] SERVICES = {"s3", "dynamodb", "lambda", "sqs", "sns", "kms", "secretsmanager", "ssm",
            "logs", "ec2", "iam", "sts", "events", "states", "xray", "cloudwatch", "ecr", "glue", "athena", "kinesis"};
    private static final String[] VERBS = {"Get*", "List*", "Put*", "Describe*", "*", "Create*", "Delete*", "Update*"};

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private IamAnalysisBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long t0 = System.nanoTime();
        ActionCatalog catalog = Catalogs.bundled();
        IamAnalyzer analyzer = new IamAnalyzer(catalog, ManagedPolicyResolver.bundled(), Clock.systemUTC());
        long t1 = System.nanoTime();
        List<String> actions = new ArrayList<>(catalog.allActions());
        List<Policy> policies = generate(n, actions, new Random(42));
        TargetRef target = new TargetRef(TargetType.IAM, "bench");
        System.out.printf("catalog %d actions + analyzer setup: %.0f ms%n", actions.size(), (t1 - t0) / 1e6);

        long findings = 0;
        for (int round = 0; round < 3; round++) {
            long s = System.nanoTime();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            findings = 0;
            int done = 0;
            for (Policy p : policies) {
                findings += analyzer.analyze(new ServerlessApp(List.of(), List.of(), List.of(p), List.of()), target)
                        .findings().size();
                if ((++done % (n / 5) == 0 || done == 200) && round == 0) {
                    System.out.printf("  round 1, %d policies after %.3f s%n", done, (System.nanoTime() - s) / 1e9);
                }
            }
            double sec = (System.nanoTime() - s) / 1e9;
            double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf("round %d: %d policies in %.3f s wall = %.0f policies/s; %.3f s CPU of this thread = %.0f "
                    + "policies/CPU-s (%d findings)%n", round + 1, n, sec, n / sec, cpu, n / cpu, findings);
        }
        long s = System.nanoTime();
        long granted = 0;
        for (Policy p : policies) {
            granted += analyzer.effectivePermissions(p).grantedCount();
        }
        double sec = (System.nanoTime() - s) / 1e9;
        System.out.printf("effective permissions only: %d policies in %.3f s = %.0f policies/s (%d grants)%n", n, sec,
                n / sec, granted);
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
