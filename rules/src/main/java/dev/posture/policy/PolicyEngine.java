package dev.posture.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The bridge between posture and a Rego engine: load modules once, list rule packages with their METADATA,
 * evaluate packages' {@code deny} (and {@code warn}) per input. Nothing here knows what is being scanned; the
 * embedded engine ({@link EmbeddedRegoEngine}) is one implementation, an OPA server over REST can be another.
 */
public interface PolicyEngine {

    /** The documents posture's own packages define. */
    Predicate<String> DENY_WARN = Set.of("deny", "warn")::contains;

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
         * The packages at or below {@code prefix} (dotted, e.g. {@code posture.kubernetes}; empty for all) that
         * define a result document ({@link RulePackage#documents()}), with their METADATA, sorted by path.
         */
        List<RulePackage> packages(String prefix);

        /** Prepares the evaluation of these packages' {@code deny} and {@code warn}, once, for every input. */
        default PackageEvaluator evaluator(List<RulePackage> packages) throws PolicyException {
            return evaluator(packages, DENY_WARN);
        }

        /**
         * Prepares the evaluation of the result documents of these packages that {@code documents} accepts
         * (among those each package defines): conftest reads {@code deny_*} and {@code exception}, Gatekeeper
         * {@code violation}.
         */
        PackageEvaluator evaluator(List<RulePackage> packages, Predicate<String> documents) throws PolicyException;

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
     * @param documents per evaluated document name: each element of its set or array (or the value itself when
     *                  it is not a collection; {@code false}, {@code null} and undefined give none), as JSON
     */
    record PackageResult(RulePackage pkg, Map<String, List<JsonNode>> documents) {
        public PackageResult {
            Map<String, List<JsonNode>> copy = new java.util.TreeMap<>();
            documents.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            documents = java.util.Collections.unmodifiableMap(copy);
        }

        public List<JsonNode> document(String name) {
            return documents.getOrDefault(name, List.of());
        }

        public List<JsonNode> deny() {
            return document("deny");
        }

        public List<JsonNode> warn() {
            return document("warn");
        }
    }

    /** A package that failed on one input, and why ("evaluation step budget exceeded (5000000 steps)"). */
    record PackageError(RulePackage pkg, String reason) {
    }
}
