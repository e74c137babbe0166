package dev.posture.scan;

import dev.posture.source.Input;

import java.util.List;

/**
 * One kind of analysis (serverless/IAM, Kubernetes, images…). The scanner hands every analyzer the
 * inputs it accepts, all at once, so cross-input checks (a NetworkPolicy in another file) work.
 * Every accepted input must end as a target reported to the context, scanned or failed.
 */
public interface Analyzer {

    String name();

    /**
     * The kind of a parsed document if this analyzer recognises it by content; the scanner asks
     * every analyzer, in order, to recognise each input.
     */
    default java.util.Optional<dev.posture.source.InputKind> recognise(dev.posture.document.ParsedDocument doc) {
        return java.util.Optional.empty();
    }

    boolean accepts(Input input);

    void analyze(List<Input> inputs, ScanContext context);

    /**
     * True when inputs must be analysed together (cross-resource checks). When false the scanner
     * may call {@link #analyze} once per input, in parallel.
     */
    default boolean crossInput() {
        return false;
    }

    /**
     * The rules this analyzer evaluates on targets of {@code type} (after it ran: Rego analyzers know their
     * rules once their policies are loaded). What the posture summary calls covered and JUnit's passing
     * testcases come from here.
     */
    default java.util.List<dev.posture.model.Rule> rules(dev.posture.model.TargetType type) {
        return java.util.List.of();
    }

    /** The (surface, theme) pairs its {@link #rules} check on targets of {@code type}. */
    default java.util.Set<dev.posture.model.Coverage> coverage(dev.posture.model.TargetType type) {
        java.util.Set<dev.posture.model.Coverage> out = new java.util.TreeSet<>();
        rules(type).forEach(r -> out.add(dev.posture.model.Coverage.of(r)));
        return out;
    }

    /** The target type an input of this analyzer becomes (for attributing failures). */
    dev.posture.model.TargetType targetType(Input input);
}
