package dev.posture.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.model.Location;
import dev.posture.source.Input;

/**
 * One Kubernetes object of a manifest: a document, or an item of a {@code List}.
 *
 * @param input     the file (or stdin) it was read from
 * @param document  the parsed document holding it, with its source map
 * @param pointer   the JSON pointer of the object in its document: {@code ""}, or {@code /items/3} in a List
 * @param object    the object exactly as written (what policies get as {@code input})
 * @param namespace {@code metadata.namespace}, {@code "default"} when omitted, {@code ""} for cluster-scoped kinds
 * @param name      {@code metadata.name} ({@code generateName} + {@code *}, or a placeholder, when it has none)
 * @param judged    whether policies evaluate it: built-in kinds yes, custom resources no (inventoried only)
 * @param id        {@code Kind/namespace/name}, as findings name the resource ({@code ClusterRole//admin} when
 *                  cluster-scoped)
 * @param target    the target its findings belong to (its file)
 */
public record Resource(Input input, ParsedDocument document, String pointer, JsonNode object, String apiVersion,
                       String kind, String namespace, String name, boolean judged, String id,
                       dev.posture.model.TargetRef target) {

    public Resource(Input input, ParsedDocument document, String pointer, JsonNode object, String apiVersion,
                    String kind, String namespace, String name, boolean judged, dev.posture.model.TargetRef target) {
        this(input, document, pointer, object, apiVersion, kind, namespace, name, judged,
                kind + "/" + namespace + "/" + name, target);
    }

    /** Where the object starts in its file (for a List item, the item's line). */
    public Location location() {
        return document.sourceMap().at(pointer);
    }

    /** Where the value at {@code relativePointer} (from the object's root) is, or its nearest ancestor. */
    public Location location(String relativePointer) {
        return document.sourceMap().at(pointer + relativePointer);
    }
}
