package dev.posture.policy.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.model.Severity;

import java.util.function.Function;

/**
 * OPA Gatekeeper's shapes: ConstraintTemplates, Constraints, the admission review a template's Rego gets as
 * {@code input}, and the {@code spec.match} of a constraint, applied as Gatekeeper applies it (without a cluster:
 * what the scanned manifests say).
 */
public final class Gatekeeper {
    private Gatekeeper() {
    }

    /**
     * A ConstraintTemplate.
     *
     * @param kind        the kind of its constraints ({@code spec.crd.spec.names.kind})
     * @param name        {@code metadata.name}
     * @param pkg         the package of its Rego ({@code k8srequiredlabels})
     * @param where       {@code file:line} of the template
     * @param title       {@code metadata.gatekeeper.sh/title} annotation, else null
     * @param description {@code description} annotation, else null
     */
    public record Template(String kind, String name, String pkg, String where, String title, String description) {
    }

    /**
     * A Constraint: an instance of a template's kind.
     *
     * @param action {@code spec.enforcementAction}: {@code deny} (the default), {@code warn} or {@code dryrun}
     */
    public record Constraint(String kind, String name, String where, JsonNode match, JsonNode parameters,
                             String action) {

        /** deny → high (what blocks admission fails the gate at {@code --fail-on high}), warn → low, dryrun → info. */
        public Severity severity() {
            return switch (action) {
                case "warn" -> Severity.LOW;
                case "dryrun" -> Severity.INFO;
                default -> Severity.HIGH;
            };
        }

        /** The rule id of this constraint's findings: {@code gatekeeper/K8sRequiredLabels/must-have-owner}. */
        public String ruleId() {
            return "gatekeeper/" + kind + "/" + name;
        }
    }

    /** What Gatekeeper knows of an object under review. */
    public record Review(JsonNode object, String apiVersion, String kind, String namespace, String name,
                         boolean clusterScoped) {
        public String group() {
            int slash = apiVersion.lastIndexOf('/');
            return slash < 0 ? "" : apiVersion.substring(0, slash);
        }

        public String version() {
            int slash = apiVersion.lastIndexOf('/');
            return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        }
    }

    /**
     * The input of a template's Rego for one object and constraint, as Gatekeeper's admission review builds it:
     * {@code input.review.object}, {@code kind} ({@code group}, {@code version}, {@code kind}), {@code namespace}
     * ({@code ""} for cluster-scoped objects), {@code name}, {@code operation: CREATE}, and
     * {@code input.parameters} from the constraint's {@code spec.parameters}.
     */
    public static ObjectNode input(Review r, Constraint c) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode in = f.objectNode();
        ObjectNode review = in.putObject("review");
        review.set("object", r.object());
        ObjectNode kind = review.putObject("kind");
        kind.put("group", r.group());
        kind.put("version", r.version());
        kind.put("kind", r.kind());
        review.put("namespace", r.clusterScoped() ? "" : r.namespace());
        review.put("name", r.name());
        review.put("operation", "CREATE");
        review.put("uid", "");
        review.putObject("userInfo").put("username", "posture");
        in.set("parameters", c.parameters() == null || c.parameters().isNull() ? f.objectNode() : c.parameters());
        return in;
    }

    /**
     * Whether the constraint's {@code spec.match} selects the object: {@code kinds} (apiGroups × kinds, {@code *}
     * for any), {@code scope} ({@code *}, {@code Cluster}, {@code Namespaced}), {@code namespaces} and
     * {@code excludedNamespaces} (names, with a leading or trailing {@code *} glob), {@code labelSelector} and
     * {@code namespaceSelector} ({@code matchLabels}, {@code matchExpressions} with In, NotIn, Exists,
     * DoesNotExist), {@code name} (a glob). A Namespace is matched by its own name and labels; other cluster-scoped
     * objects pass the namespace criteria, as in Gatekeeper. {@code namespaceSelector} needs the Namespace object
     * in the scan: without it, a namespaced object is not selected.
     *
     * @param namespaceObject the Namespace object of a name in the scan, or null
     */
    public static boolean matches(Constraint c, Review r, Function<String, JsonNode> namespaceObject) {
        JsonNode m = c.match();
        if (m == null || !m.isObject()) {
            return true;
        }
        JsonNode kinds = m.get("kinds");
        if (kinds != null && kinds.isArray() && !kinds.isEmpty()) {
            boolean any = false;
            for (JsonNode k : kinds) {
                if (anyOf(k.get("apiGroups"), r.group()) && anyOf(k.get("kinds"), r.kind())) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        String scope = m.path("scope").asText("*");
        if (scope.equals("Cluster") && !r.clusterScoped() || scope.equals("Namespaced") && r.clusterScoped()) {
            return false;
        }
        if (m.hasNonNull("name") && !glob(m.get("name").asText(), r.name())) {
            return false;
        }
        boolean isNamespace = r.kind().equals("Namespace") && r.group().isEmpty();
        String ns = isNamespace ? r.name() : r.clusterScoped() ? null : r.namespace();
        if (ns != null) {
            JsonNode only = m.get("namespaces");
            if (only != null && only.isArray() && !only.isEmpty() && !globAny(only, ns)) {
                return false;
            }
            JsonNode excluded = m.get("excludedNamespaces");
            if (excluded != null && excluded.isArray() && globAny(excluded, ns)) {
                return false;
            }
            JsonNode nsSel = m.get("namespaceSelector");
            if (nsSel != null && nsSel.isObject()) {
                JsonNode nsObj = isNamespace ? r.object() : namespaceObject.apply(ns);
                if (nsObj == null || !selects(nsSel, nsObj.path("metadata").path("labels"))) {
                    return false;
                }
            }
        }
        JsonNode sel = m.get("labelSelector");
        return sel == null || !sel.isObject() || selects(sel, r.object().path("metadata").path("labels"));
    }

    /** An absent or empty list, {@code *}, or the value itself. */
    private static boolean anyOf(JsonNode list, String value) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return true;
        }
        for (JsonNode n : list) {
            if (n.asText().equals("*") || n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean globAny(JsonNode list, String value) {
        for (JsonNode n : list) {
            if (glob(n.asText(), value)) {
                return true;
            }
        }
        return false;
    }

    /** Gatekeeper's namespace globs: {@code kube-*} (prefix), {@code *-system} (suffix), or the exact name. */
    static boolean glob(String pattern, String value) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        return pattern.equals(value);
    }

    /** A Kubernetes label selector over a labels object. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        JsonNode ml = selector.get("matchLabels");
        if (ml != null && ml.isObject()) {
            var it = ml.fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode v = labels.get(e.getKey());
                if (v == null || !v.asText().equals(e.getValue().asText())) {
                    return false;
                }
            }
        }
        JsonNode me = selector.get("matchExpressions");
        if (me != null && me.isArray()) {
            for (JsonNode x : me) {
                String key = x.path("key").asText();
                JsonNode v = labels.get(key);
                JsonNode values = x.path("values");
                boolean in = false;
                for (JsonNode o : values) {
                    if (v != null && o.asText().equals(v.asText())) {
                        in = true;
                    }
                }
                boolean ok = switch (x.path("operator").asText()) {
                    case "In" -> in;
                    case "NotIn" -> !in;
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> false; // an unknown operator selects nothing, as the API server would refuse it
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
