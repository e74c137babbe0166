package dev.posture.iam.model;

import java.util.List;
import java.util.Locale;

/**
 * One condition clause: operator (e.g. {@code StringEquals}, {@code ArnLike},
 * {@code ForAnyValue:StringLike}, {@code StringEqualsIfExists}), key (e.g. {@code aws:SourceArn})
 * and values. Keys compare case-insensitively, as IAM does.
 */
public record Condition(String operator, String key, List<String> values) {
    public Condition {
        values = values == null ? List.of() : List.copyOf(values);
    }

    public boolean keyIs(String k) {
        return key.equalsIgnoreCase(k);
    }

    public String keyLower() {
        return key.toLowerCase(Locale.ROOT);
    }
}
