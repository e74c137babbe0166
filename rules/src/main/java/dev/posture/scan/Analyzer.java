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
     * The (surface, theme) pairs this analyzer checks on a scanned target of {@code type}: the surfaces and
     * themes of the rules it evaluates there. The scanner records them for every target an analyzer reports
     * as scanned, so the posture summary can tell "clean" from "not scanned". Called after {@link #analyze}
     * (policy-driven analyzers know their rules only once the policies are loaded). Default: nothing.
     */
    default java.util.Set<dev.posture.model.Coverage> coverage(dev.posture.model.TargetType type) {
        return java.util.Set.of();
    }

    /** The target type an input of this analyzer becomes (for attributing failures). */
    dev.posture.model.TargetType targetType(Input input);
}
