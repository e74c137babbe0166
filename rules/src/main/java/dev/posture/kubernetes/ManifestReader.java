package dev.posture.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.document.SourceMap;
import dev.posture.source.Input;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the parsed documents of a manifest file into {@link Resource}s: each document with {@code apiVersion}
 * and {@code kind} is one; a {@code kind: List} (or any {@code *List} with {@code items}) contributes its items,
 * each with its own pointer ({@code /items/i}) so its findings point at its own lines.
 */
final class ManifestReader {
    /** Lists inside lists are followed this deep (kubectl does not nest them; a hostile file might). */
    private static final int MAX_LIST_DEPTH = 8;

    /** What one file holds: its objects, and the documents that are not Kubernetes objects (for a warning). */
    record Read(List<Resource> resources, List<String> notObjects) {
    }

    private ManifestReader() {
    }

    /**
     * @param clusterScopedCustom custom kinds declared cluster-scoped by a CustomResourceDefinition of the scan,
     *                            as {@code group/Kind}
     */
    static Read read(Input in, java.util.Set<String> clusterScopedCustom) {
        dev.posture.model.TargetRef target = new dev.posture.model.TargetRef(dev.posture.model.TargetType.KUBERNETES,
                in.name());
        List<Resource> out = new ArrayList<>();
        List<String> notObjects = new ArrayList<>();
        for (ParsedDocument d : in.documents()) {
            JsonNode root = d.root();
            if (!isObject(root)) {
                if (root != null && !(root.isObject() && root.isEmpty())) {
                    notObjects.add(d.sourceMap().at("").toString());
                }
                continue;
            }
            collect(in, target, d, "", root, 0, out, notObjects, clusterScopedCustom);
        }
        return new Read(out, notObjects);
    }

    private static void collect(Input in, dev.posture.model.TargetRef target, ParsedDocument d, String pointer,
                                JsonNode obj, int depth,
                                List<Resource> out, List<String> notObjects, java.util.Set<String> clusterCustom) {
        String kind = obj.get("kind").asText();
        JsonNode items = obj.get("items");
        if (kind.endsWith("List") && items != null && items.isArray() && depth < MAX_LIST_DEPTH) {
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String p = SourceMap.child(SourceMap.child(pointer, "items"), i);
                if (isObject(item)) {
                    collect(in, target, d, p, item, depth + 1, out, notObjects, clusterCustom);
                } else {
                    notObjects.add(d.sourceMap().at(p).toString());
                }
            }
            return;
        }
        String apiVersion = obj.get("apiVersion").asText();
        JsonNode meta = obj.path("metadata");
        boolean builtin = KubernetesKinds.builtin(apiVersion);
        boolean cluster = builtin ? KubernetesKinds.CLUSTER_SCOPED.contains(kind)
                : clusterCustom.contains(KubernetesKinds.group(apiVersion) + "/" + kind);
        String ns = cluster ? "" : text(meta.get("namespace"));
        if (ns == null || ns.isEmpty()) {
            ns = cluster ? "" : "default";
        }
        String name = text(meta.get("name"));
        if (name == null || name.isEmpty()) {
            String gen = text(meta.get("generateName"));
            name = gen != null && !gen.isEmpty() ? gen + "*"
                    : "(unnamed at line " + d.sourceMap().at(pointer).line() + ")";
        }
        out.add(new Resource(in, d, pointer, obj, apiVersion, kind, ns, name,
                KubernetesKinds.judged(apiVersion, kind), target));
    }

    /** A Kubernetes object: a mapping with string {@code apiVersion} and {@code kind}. */
    static boolean isObject(JsonNode n) {
        return n != null && n.isObject() && n.path("apiVersion").isTextual() && n.path("kind").isTextual()
                && !n.path("kind").asText().isEmpty();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    /** {@code group/Kind} of every custom kind a CustomResourceDefinition of these documents declares cluster-scoped. */
    static void clusterScopedCustomKinds(Input in, java.util.Set<String> out) {
        for (ParsedDocument d : in.documents()) {
            crds(d.root(), out, 0);
        }
    }

    private static void crds(JsonNode n, java.util.Set<String> out, int depth) {
        if (!isObject(n) || depth > MAX_LIST_DEPTH) {
            return;
        }
        if (n.path("items").isArray() && n.get("kind").asText().endsWith("List")) {
            n.get("items").forEach(i -> crds(i, out, depth + 1));
            return;
        }
        if ("CustomResourceDefinition".equals(n.get("kind").asText())
                && "Cluster".equals(n.path("spec").path("scope").asText())
                && n.path("spec").path("names").path("kind").isTextual()) {
            out.add(n.path("spec").path("group").asText() + "/" + n.path("spec").path("names").path("kind").asText());
        }
    }
}
