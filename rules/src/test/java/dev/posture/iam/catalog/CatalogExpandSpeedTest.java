package dev.posture.iam.catalog;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rough single-thread figures for the hot path (printed; the assertions are loose so a busy
 * shared machine does not fail the build). The scanner's target is 5,000 policies/s on one core.
 */
class CatalogExpandSpeedTest {

    @Test
    void expandIsFastEnoughForTheScannerBenchmark() throws Exception {
        long t0 = System.nanoTime();
        BundledActionCatalog c;
        try (InputStream in = Catalogs.class.getResourceAsStream(Catalogs.RESOURCE)) {
            c = BundledActionCatalog.load(in, "speed test");
        }
        long loadMs = (System.nanoTime() - t0) / 1_000_000;

        // a pool of realistic action patterns: literals, service wildcards, prefix/mid wildcards, typos
        List<String> pool = new ArrayList<>(List.of("*", "s3:*", "s3:Get*", "s3:*Object*", "iam:?ass*",
                "ec2:Describe*", "dynamodb:*Item", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                "sqs:ReceiveMessage", "sqs:DeleteMessage", "kms:Decrypt", "secretsmanager:GetSecretValue",
                "ssm:GetParameter*", "lambda:InvokeFunction", "sts:AssumeRole", "iam:PassRole", "xray:Put*",
                "s3:GetObjekt", "lamda:InvokeFunction"));
        List<String> all = new ArrayList<>(c.allActions());
        Random r = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String a = all.get(r.nextInt(all.size()));
            pool.add(i % 2 == 0 ? a : a.substring(0, a.indexOf(':') + 4) + "*");   // e.g. "ec2:Des*"
        }
        int policies = 10_000;
        int perPolicy = 10;
        String[][] work = new String[policies][perPolicy];
        for (int p = 0; p < policies; p++) {
            for (int k = 0; k < perPolicy; k++) {
                work[p][k] = pool.get(r.nextInt(pool.size()));
            }
        }
        long t1 = System.nanoTime();
        long sink = 0;
        for (String[] policy : work) {
            for (String pattern : policy) {
                sink += c.expand(pattern).size();
            }
        }
        double firstSec = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        for (String[] policy : work) {
            for (String pattern : policy) {
                sink += c.expand(pattern).size();
            }
        }
        double warmSec = (System.nanoTime() - t2) / 1e9;
        System.out.printf("catalog load %d ms; %d policies x %d patterns (%d distinct): first pass %.1f ms"
                        + " (%.0f policies/s), warm pass %.1f ms (%.0f policies/s) [sink %d]%n",
                loadMs, policies, perPolicy, pool.size(), firstSec * 1e3, policies / firstSec, warmSec * 1e3,
                policies / warmSec, sink);
        assertThat(policies / firstSec).isGreaterThan(5_000);
        assertThat(policies / warmSec).isGreaterThan(5_000);
    }
}
