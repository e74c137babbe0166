package dev.posture.vuln.osv;

import dev.posture.vuln.version.InvalidVersionException;
import dev.posture.vuln.version.VersionScheme;
import dev.posture.vuln.version.VersionScheme.ParsedVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * OSV's rule for "is this version affected" (OSV schema, "Evaluation"): a version listed in {@code versions} is
 * affected; otherwise, per range, walk its events in version order ({@code introduced: "0"} first): an
 * {@code introduced} at or below the version opens, a {@code fixed} at or below it closes, a {@code last_affected}
 * below it closes. {@code limit} events only bound GIT ranges and are ignored.
 */
public final class AffectedRanges {
    private AffectedRanges() {
    }

    /**
     * @param affected whether the version is affected
     * @param fixed    the fixed version of the range that matched (null: none known)
     */
    public record Verdict(boolean affected, String fixed) {
        static final Verdict NO = new Verdict(false, null);
    }

    private record E(String kind, String text, ParsedVersion version) {
    }

    /** Judges {@code version} (parsed in {@code scheme}); an event version the scheme rejects is warned about. */
    public static Verdict judge(OsvRecord.Affected a, VersionScheme scheme, ParsedVersion version, String recordId,
                                Consumer<String> warn) {
        for (String v : a.versions()) {
            if (v.equals(version.text())) {
                return new Verdict(true, firstFixed(a));
            }
        }
        for (OsvRecord.Range r : a.ranges()) {
            List<E> events = new ArrayList<>();
            boolean bad = false;
            for (OsvRecord.Event e : r.events()) {
                if (e.kind().equals("limit")) {
                    continue;
                }
                if (e.kind().equals("introduced") && e.version().equals("0")) {
                    events.add(new E(e.kind(), e.version(), null));
                    continue;
                }
                try {
                    events.add(new E(e.kind(), e.version(), scheme.parse(e.version())));
                } catch (InvalidVersionException ex) {
                    warn.accept(recordId + " (" + a.name() + "): " + ex.getMessage());
                    bad = true;
                    break;
                }
            }
            if (bad) {
                continue;
            }
            events.sort(Comparator.comparing(E::version, Comparator.nullsFirst(Comparator.naturalOrder())));
            boolean affected = false;
            String fixed = null;
            for (E e : events) {
                switch (e.kind()) {
                    case "introduced" -> {
                        if (e.version == null || version.compareTo(e.version) >= 0) {
                            affected = true;
                            fixed = null;
                        }
                    }
                    case "fixed" -> {
                        if (version.compareTo(e.version) >= 0) {
                            affected = false;
                        } else if (affected && fixed == null) {
                            fixed = e.text;
                        }
                    }
                    case "last_affected" -> {
                        if (version.compareTo(e.version) > 0) {
                            affected = false;
                        }
                    }
                    default -> {
                    }
                }
            }
            if (affected) {
                return new Verdict(true, fixed);
            }
        }
        return Verdict.NO;
    }

    private static String firstFixed(OsvRecord.Affected a) {
        for (OsvRecord.Range r : a.ranges()) {
            for (OsvRecord.Event e : r.events()) {
                if (e.kind().equals("fixed")) {
                    return e.version();
                }
            }
        }
        return null;
    }
}
