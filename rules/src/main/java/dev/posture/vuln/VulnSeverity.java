package dev.posture.vuln;

import dev.posture.model.Severity;
import dev.posture.vuln.osv.OsvRecord;
import us.springett.cvss.Cvss;

import java.util.List;
import java.util.Locale;

/**
 * A vulnerability's severity: the CVSS v3.x (else v2) base score of its vector (the package's own severity
 * first, then the record's) mapped with CVSS's qualitative scale (0 none → info, 0.1–3.9 low, 4.0–6.9 medium,
 * 7.0–8.9 high, 9.0–10 critical); without a scorable vector, the ecosystem's word ("HIGH", Debian's
 * "unimportant", Ubuntu's "negligible"); with neither, medium, and {@link Rated#basis()} says so. CVSS v4 vectors
 * are kept but not scored (no maintained Java calculator is used here yet).
 *
 * @param severity the rating
 * @param score    the CVSS base score, null when not from a vector
 * @param vector   the vector scored, null when none
 * @param basis    "cvss", "ecosystem" or "unknown"
 */
public final class VulnSeverity {
    private VulnSeverity() {
    }

    public record Rated(Severity severity, Double score, String vector, String basis) {
    }

    public static Rated of(OsvRecord record, OsvRecord.Affected affected) {
        for (List<OsvRecord.Score> scores : List.of(affected.severity(), record.severity())) {
            for (String type : List.of("CVSS_V3", "CVSS_V2")) {
                for (OsvRecord.Score s : scores) {
                    if (s.type().equals(type)) {
                        Double score = score(s.score());
                        if (score != null) {
                            return new Rated(fromScore(score), score, s.score(), "cvss");
                        }
                    }
                }
            }
        }
        for (String word : new String[] {affected.ecosystemSeverity(), record.ecosystemSeverity()}) {
            Severity s = fromWord(word);
            if (s != null) {
                return new Rated(s, null, null, "ecosystem");
            }
        }
        return new Rated(Severity.MEDIUM, null, null, "unknown");
    }

    static Double score(String vector) {
        try {
            Cvss c = Cvss.fromVector(vector);
            return c == null ? null : c.calculateScore().getBaseScore();
        } catch (RuntimeException e) {
            return null; // not a v2/v3 vector, or malformed: the next basis decides
        }
    }

    static Severity fromScore(double score) {
        if (score >= 9.0) {
            return Severity.CRITICAL;
        }
        if (score >= 7.0) {
            return Severity.HIGH;
        }
        if (score >= 4.0) {
            return Severity.MEDIUM;
        }
        return score > 0 ? Severity.LOW : Severity.INFO;
    }

    static Severity fromWord(String word) {
        if (word == null) {
            return null;
        }
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.CRITICAL;
            case "high", "important" -> Severity.HIGH;
            case "medium", "moderate" -> Severity.MEDIUM;
            case "low" -> Severity.LOW;
            case "negligible", "unimportant", "none" -> Severity.INFO;
            default -> null;
        };
    }
}
