package dev.posture.model;

import java.time.LocalDate;

/**
 * Why a finding is suppressed: the matching ignore-file entry.
 *
 * @param reason      the entry's reason (required in ignore files)
 * @param expires     the entry's expiry date, or null
 * @param source      where the entry is, e.g. {@code .posture-ignore.yaml:3}
 * @param rule        the rule id the entry names, or null
 * @param control     the control it names, or null
 * @param fingerprint the fingerprint it names, or null
 * @param target      its glob over the target name, or null
 * @param resource    its glob over the resource, or null
 */
public record Suppression(String reason, LocalDate expires, String source, String rule, String control,
                          String fingerprint, String target, String resource) {

    /** A suppression whose entry is only known by reason, expiry and place. */
    public Suppression(String reason, LocalDate expires, String source) {
        this(reason, expires, source, null, null, null, null, null);
    }
}
