package dev.posture.triage;

import dev.posture.report.BaselineEntry;
import dev.posture.report.JsonReportReader;

import dev.posture.model.BaselineState;
import dev.posture.model.Finding;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of an earlier JSON report, keyed by fingerprint. {@link #apply} marks the current
 * findings {@code new} or {@code unchanged}; {@link #absent} lists what disappeared.
 */
public final class Baseline {
    private final Map<String, BaselineEntry> byFingerprint = new LinkedHashMap<>();

    private Baseline(Collection<BaselineEntry> entries) {
        for (BaselineEntry e : entries) {
            byFingerprint.putIfAbsent(e.fingerprint(), e);
        }
    }

    public static Baseline of(Collection<BaselineEntry> entries) {
        return new Baseline(entries);
    }

    /** Reads a JSON report written by {@link JsonReportWriter}. */
    public static Baseline read(Path jsonReport) throws IOException {
        return new Baseline(new JsonReportReader().read(jsonReport));
    }

    public boolean contains(String fingerprint) {
        return byFingerprint.containsKey(fingerprint);
    }

    public int size() {
        return byFingerprint.size();
    }

    /** {@code current} in the same order, each marked {@code unchanged} if its fingerprint was in the baseline, else {@code new}. */
    public List<Finding> apply(List<Finding> current) {
        List<Finding> out = new ArrayList<>(current.size());
        for (Finding f : current) {
            out.add(f.withBaselineState(contains(f.fingerprint()) ? BaselineState.UNCHANGED : BaselineState.NEW));
        }
        return out;
    }

    /** Baseline findings whose fingerprint is not in {@code current}, as findings marked {@code absent}. */
    public List<Finding> absent(List<Finding> current) {
        Set<String> seen = new HashSet<>();
        current.forEach(f -> seen.add(f.fingerprint()));
        List<Finding> out = new ArrayList<>();
        for (BaselineEntry e : byFingerprint.values()) {
            if (!seen.contains(e.fingerprint())) {
                out.add(e.toFinding().withBaselineState(BaselineState.ABSENT));
            }
        }
        return out;
    }
}
