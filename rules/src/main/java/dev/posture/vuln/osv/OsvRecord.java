package dev.posture.vuln.osv;

import java.time.Instant;
import java.util.List;

/**
 * One OSV record (OSV schema 1.x), the parts matching needs.
 *
 * @param id        "DSA-5678-1", "GHSA-…", "CVE-2024-…"
 * @param modified  when it last changed (null when absent)
 * @param withdrawn set when the record was withdrawn: never matched
 * @param aliases   other ids of the same vulnerability (CVE ids)
 * @param summary   one line, may be null
 * @param severity  the record's {@code severity[]} (CVSS vectors)
 * @param affected  per package: ranges and explicit versions
 * @param ecosystemSeverity a severity word the database itself gives ({@code database_specific.severity}, e.g.
 *                  GitHub's "HIGH"), null when absent
 */
public record OsvRecord(String id, Instant modified, Instant withdrawn, List<String> aliases, String summary,
                        List<Score> severity, List<Affected> affected, String ecosystemSeverity) {
    public OsvRecord {
        aliases = List.copyOf(aliases);
        severity = List.copyOf(severity);
        affected = List.copyOf(affected);
    }

    /** {@code {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/…"}}. */
    public record Score(String type, String score) {
    }

    /**
     * @param ecosystem "Debian:12", "Alpine:v3.20", "Maven", "npm", "PyPI"
     * @param name      the package name in that ecosystem (Debian: the source package)
     * @param ranges    ECOSYSTEM and SEMVER ranges (GIT ranges are dropped: nothing here knows commits)
     * @param versions  versions listed as affected
     * @param severity  per-package severity, overriding the record's
     * @param ecosystemSeverity per-package {@code ecosystem_specific.severity} or {@code database_specific.severity}
     *                  (Ubuntu's "medium", …), null when absent
     */
    public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions,
                           List<Score> severity, String ecosystemSeverity) {
        public Affected {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
            severity = List.copyOf(severity);
        }
    }

    /** @param type "ECOSYSTEM" or "SEMVER" */
    public record Range(String type, List<Event> events) {
        public Range {
            events = List.copyOf(events);
        }
    }

    /** @param kind "introduced", "fixed", "last_affected" or "limit" */
    public record Event(String kind, String version) {
    }
}
