package dev.posture.iam.model;

import java.util.List;
import java.util.Map;

/**
 * A statement principal: {@code "*"} is {@code {"AWS": ["*"]}}; otherwise the map of type
 * (AWS, Service, Federated, CanonicalUser) to values.
 */
public record Principal(Map<String, List<String>> byType) {
    public Principal {
        byType = Map.copyOf(byType);
    }

    public static Principal anyone() {
        return new Principal(Map.of("AWS", List.of("*")));
    }

    public List<String> values(String type) {
        return byType.getOrDefault(type, List.of());
    }

    /** True when the principal is everyone ({@code "*"} or {@code {"AWS": "*"}}). */
    public boolean isAnyone() {
        return values("AWS").contains("*") || values("CanonicalUser").contains("*");
    }
}
