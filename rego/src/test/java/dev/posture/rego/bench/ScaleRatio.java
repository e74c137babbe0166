package dev.posture.rego.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.rego.PolicySet;
import dev.posture.rego.PreparedQuery;
import dev.posture.rego.RegoVersion;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import java.util.Arrays;
import java.util.List;

/**
 * Companion of {@link RegoScaleBenchmark} for a noisy shared machine: measures 1,000 and 10,000 items
 * <em>interleaved</em> in one JVM (so load changes hit both sizes alike) and prints the median times and their
 * ratio, separately for the JSON → value conversion of the input, the evaluation on an already converted input,
 * and both. Not a test; run by hand, e.g. with the collector of the CLI launcher:
 *
 * <pre>
 * ./mvnw -q -o -pl rego test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -XX:+UseSerialGC -cp "rego/target/test-classes:rego/target/classes:$(cat /tmp/cp.txt)" \
 *     dev.posture.rego.bench.ScaleRatio [rounds]
 * </pre>
 */
public final class ScaleRatio {
    private ScaleRatio() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String query = args.length > 1 ? args[1] : "data.bench.scale.summary";
        PolicySet ps = BenchCorpus.build(List.of(new BenchCorpus.Src("scale.rego", BenchCorpus.resource("scale.rego"), RegoVersion.V1)));
        PreparedQuery q = ps.prepare(query);
        JsonNode small = RegoScaleBenchmark.input(1_000);
        JsonNode large = RegoScaleBenchmark.input(10_000);
        Value vs = Json.fromJson(small);
        Value vl = Json.fromJson(large);
        PreparedQuery.EvalOptions o = new PreparedQuery.EvalOptions();
        System.out.printf("%s, %s%n", query, System.getProperty("java.vm.name"));
        for (int r = 1; r <= rounds; r++) {
            double c1 = median(() -> Json.fromJson(small), 300);
            double c10 = median(() -> Json.fromJson(large), 30);
            double e1 = median(() -> q.eval(vs, o), 300);
            double e10 = median(() -> q.eval(vl, o), 30);
            long g0 = gcMillis();
            double b1 = median(() -> q.eval(small), 300);
            long g1 = gcMillis();
            double b10 = median(() -> q.eval(large), 30);
            long g2 = gcMillis();
            System.out.printf("round %d: conversion %.3f / %.3f ms (%.1fx); evaluation %.3f / %.3f ms (%.1fx); "
                    + "both %.3f / %.3f ms (%.1fx); GC pauses per op (both) %.3f / %.3f ms%n", r, c1, c10, c10 / c1,
                    e1, e10, e10 / e1, b1, b10, b10 / b1, (g1 - g0) / 300.0, (g2 - g1) / 30.0);
        }
    }

    private static long gcMillis() {
        long t = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static double median(Runnable op, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            op.run();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[n / 2] / 1e6;
    }
}
