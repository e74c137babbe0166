package dev.posture.policy;

import java.util.List;
import java.util.Map;

/**
 * The METADATA block of a rule package, read from the module's comments by the client (not by an engine), so
 * every engine reports the same rule titles and severities.
 *
 * @param title            {@code title}
 * @param description      {@code description}
 * @param relatedResources the {@code ref}s of {@code related_resources} (or its plain strings)
 * @param custom           {@code custom}: posture's keys {@code id}, {@code control}, {@code severity},
 *                         {@code theme}, {@code pss}, {@code remediation}, and whatever else a policy adds
 */
public record PolicyMetadata(String title, String description, List<String> relatedResources, Map<String, Object> custom) {
    public static final PolicyMetadata NONE = new PolicyMetadata(null, null, List.of(), Map.of());

    public PolicyMetadata {
        relatedResources = relatedResources == null ? List.of() : List.copyOf(relatedResources);
        custom = custom == null ? Map.of() : Map.copyOf(custom);
    }

    public String id() {
        return custom("id");
    }

    public String control() {
        return custom("control");
    }

    public String severity() {
        return custom("severity");
    }

    public String theme() {
        return custom("theme");
    }

    public String pss() {
        return custom("pss");
    }

    public String remediation() {
        return custom("remediation");
    }

    /** A custom key as text, or null. */
    public String custom(String key) {
        Object v = custom.get(key);
        return v == null ? null : String.valueOf(v).strip();
    }
}
