package dev.posture.policy;

import java.util.Objects;
import java.util.Set;

/**
 * A package of rules found in the modules.
 *
 * @param path      the package path, dotted ({@code posture.kubernetes.privileged})
 * @param module    the module that declares it (the first, if several do)
 * @param metadata  its package-scope METADATA ({@link PolicyMetadata#NONE} when it has none)
 * @param documents the result documents its modules define: {@code deny}, {@code warn}, {@code violation},
 *                  conftest's {@code deny_*}/{@code warn_*}/{@code violation_*} and {@code exception}
 */
public record RulePackage(String path, String module, PolicyMetadata metadata, Set<String> documents) {
    public RulePackage {
        Objects.requireNonNull(path, "path");
        metadata = metadata == null ? PolicyMetadata.NONE : metadata;
        documents = Set.copyOf(documents);
    }

    public boolean defines(String document) {
        return documents.contains(document);
    }

    /** The rule id from METADATA, else the package path: how errors name the rule. */
    public String ruleName() {
        String id = metadata.id();
        return id == null || id.isBlank() ? path : id + " (" + path + ")";
    }
}
