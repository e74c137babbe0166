package dev.posture.model;

import java.time.LocalDate;

/** Why a finding is suppressed: the matching ignore-file entry. */
public record Suppression(String reason, LocalDate expires, String source) {
}
