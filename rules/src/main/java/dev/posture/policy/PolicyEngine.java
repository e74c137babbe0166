package dev.posture.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The bridge between posture and a Rego engine: load modules once, list rule packages with their METADATA,
 * evaluate packages' {@code deny} (and {@code warn}) per input. Nothing here knows what is being scanned; the
 * embedded engine ({@link EmbeddedRegoEngine}) is one implementation, an OPA server over REST can be another.
 */
public interface PolicyEngine {

    /** For messages: "embedded", "opa at http://…". */
    String name();

    /**
     * Parses and compiles the modules once, with a base {@code data} document (null for none), for the
     * lifetime of one scan.
     *
     * @throws PolicyException when a module does not parse or compile (the message names module and line)
     */
    LoadedPolicies load(List<PolicyModule> modules, JsonNode data, EvalLimits limits) throws PolicyException;

    /** Modules loaded and compiled with their data; thread-safe. */
    interface LoadedPolicies extends AutoCloseable {

        /**
         * The packages at or below {@code prefix} (dotted, e.g. {@code posture.kubernetes}) that define
         * {@code deny} or {@code warn}, with their METADATA, sorted by path.
         */
        List<RulePackage> packages(String prefix);

        /** Prepares the evaluation of these packages, once; the evaluator is used for every input. */
        PackageEvaluator evaluator(List<RulePackage> packages) throws PolicyException;

        @Override
        default void close() {
        }
    }

    /** Evaluates a fixed list of packages against one input at a time; thread-safe. */
    interface PackageEvaluator {
        Evaluation evaluate(JsonNode input);
    }

    /**
     * What the packages said about one input.
     *
     * @param results one per package that evaluated, in the evaluator's order
     * @param errors  packages that failed on this input (over their budget, a conflict): the input's evaluation
     *                is incomplete
     */
    record Evaluation(List<PackageResult> results, List<PackageError> errors) {
        public Evaluation {
            results = List.copyOf(results);
            errors = List.copyOf(errors);
        }
    }

    /**
     * @param deny each element of the package's {@code deny} set (or the value itself when it is not a
     *             collection), as JSON
     * @param warn likewise for {@code warn}
     */
    record PackageResult(RulePackage pkg, List<JsonNode> deny, List<JsonNode> warn) {
        public PackageResult {
            deny = List.copyOf(deny);
            warn = List.copyOf(warn);
        }
    }

    /** A package that failed on one input, and why ("evaluation step budget exceeded (5000000 steps)"). */
    record PackageError(RulePackage pkg, String reason) {
    }
}
