package dev.posture.triage;

import dev.posture.model.Finding;
import dev.posture.model.Suppression;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.LocalDate;

/**
 * One entry of an ignore file. It names a rule id or a control (or a fingerprint), optionally
 * narrowed by target and resource globs ({@code *} within a path segment, {@code **} across), and
 * always says why.
 */
public record IgnoreEntry(String rule, String control, String fingerprint, String target, String resource,
                          String reason, LocalDate expires, String source) {

    /** The suppression this entry puts on a finding it matches. */
    public Suppression suppression() {
        return new Suppression(reason, expires, source, rule, control, fingerprint, target, resource);
    }

    /** True after the expiry date: the entry then no longer suppresses anything. */
    public boolean expiredOn(LocalDate today) {
        return expires != null && today.isAfter(expires);
    }

    public boolean matches(Finding f) {
        if (rule != null && !rule.equals(f.rule().id())) {
            return false;
        }
        if (control != null && !control.equals(f.rule().control())) {
            return false;
        }
        if (fingerprint != null && !fingerprint.equals(f.fingerprint())) {
            return false;
        }
        if (target != null && !glob(target, f.target().name())) {
            return false;
        }
        return resource == null || (f.resource() != null && glob(resource, f.resource()));
    }

    static boolean glob(String pattern, String value) {
        if (pattern.equals(value) || pattern.equals("**")) {
            return true;
        }
        try {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return m.matches(Path.of(value));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How the entry reads in messages: "rule wildcard-action (target fixtures/**)". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (rule != null) {
            sb.append("rule ").append(rule);
        } else if (control != null) {
            sb.append("control ").append(control);
        } else {
            sb.append("fingerprint ").append(fingerprint);
        }
        if (target != null) {
            sb.append(" target ").append(target);
        }
        if (resource != null) {
            sb.append(" resource ").append(resource);
        }
        return sb.toString();
    }
}
