package dev.posture.policy.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.policy.PolicyMetadata;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.RulePackage;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policies a user brought with {@code --policy DIR}, read and sorted by convention before any scanning
 * ({@link CustomPolicyLoader}). Every convention's Rego goes to the analyzers' {@link dev.posture.policy.PolicyEngine}
 * next to the built-in modules, so an OPA server evaluates them exactly like the embedded engine:
 *
 * <ul>
 *   <li><b>native</b>: packages {@code posture.kubernetes.*} / {@code posture.image.*}, run like the built-in ones;</li>
 *   <li><b>conftest</b>: packages named by {@link #namespaces()} (default {@code main}), documents {@code deny},
 *       {@code violation}, {@code warn} and their {@code _suffix} variants, {@code exception};</li>
 *   <li><b>Trivy</b>: packages whose METADATA has {@code custom.input.selector} ({@code kubernetes} or
 *       {@code dockerfile}), document {@code deny} of {@code result.new} objects;</li>
 *   <li><b>Gatekeeper</b>: ConstraintTemplates (their Rego, v0, and libs) and the Constraints that instantiate them.</li>
 * </ul>
 *
 * @param modules     every Rego module of the directories (tests excluded), ConstraintTemplates' Rego and libs included
 * @param namespaces  conftest's namespaces
 * @param templates   Gatekeeper ConstraintTemplates by the kind their constraints have
 * @param constraints Gatekeeper Constraints, in file order
 * @param data        data files of the directories, merged at the root of {@code data} (as conftest's {@code --data})
 */
public record CustomPolicies(List<PolicyModule> modules, List<String> namespaces,
                             Map<String, Gatekeeper.Template> templates, List<Gatekeeper.Constraint> constraints,
                             ObjectNode data) {

    /** conftest's default namespace. */
    public static final String DEFAULT_NAMESPACE = "main";

    /** The control custom findings carry when their METADATA names none. */
    public static final String CUSTOM_CONTROL = "custom";

    public static final CustomPolicies NONE = new CustomPolicies(List.of(), List.of(DEFAULT_NAMESPACE), Map.of(),
            List.of(), JsonNodeFactory.instance.objectNode());

    public CustomPolicies {
        modules = List.copyOf(modules);
        namespaces = List.copyOf(namespaces);
        templates = Map.copyOf(templates);
        constraints = List.copyOf(constraints);
    }

    public boolean isEmpty() {
        return modules.isEmpty() && constraints.isEmpty() && data.isEmpty();
    }

    /** The names of the user's modules (file paths), to tell their packages from the built-in ones. */
    public Set<String> moduleNames() {
        Set<String> out = new java.util.HashSet<>();
        modules.forEach(m -> out.add(m.name()));
        return out;
    }

    /** Whether a package belongs to conftest's namespaces. */
    public boolean conftest(RulePackage p) {
        return namespaces.contains(p.path()) && moduleNames().contains(p.module());
    }

    /** The Trivy input types ({@code kubernetes}, {@code dockerfile}) a package's METADATA selects; empty when none. */
    public static Set<String> trivySelectors(PolicyMetadata m) {
        Object input = m.custom().get("input");
        Set<String> out = new java.util.TreeSet<>();
        if (input instanceof Map<?, ?> in && in.get("selector") instanceof List<?> sel) {
            for (Object o : sel) {
                if (o instanceof Map<?, ?> s && s.get("type") != null) {
                    out.add(String.valueOf(s.get("type")).strip().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** A user's package that is a Trivy check for this input type. */
    public boolean trivy(RulePackage p, String type) {
        return moduleNames().contains(p.module()) && trivySelectors(p.metadata()).contains(type)
                && !p.path().startsWith("posture.");
    }

    /** The base data document with the user's data files merged in (the user's keys never replace posture's). */
    public ObjectNode withData(ObjectNode base) {
        data.fields().forEachRemaining(e -> {
            if (!base.has(e.getKey())) {
                base.set(e.getKey(), e.getValue());
            }
        });
        return base;
    }

    /** Data keys posture itself fills; a data file may not define them. */
    public static final Set<String> RESERVED_DATA = Set.of("posture", "inventory", "config");

    static JsonNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }
}
