package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest as a registry served it, reduced to what {@link RegistrySource} needs: an image manifest (Docker v2
 * schema 2 or OCI) or a list of them (Docker manifest list or OCI index). Knows nothing of jib.
 */
sealed interface RegistryManifest permits RegistryManifest.Image, RegistryManifest.Index {

    /** {@code sha256:…} of the bytes the registry served. */
    String digest();

    String mediaType();

    /** A content descriptor: what a blob must be, and its annotations (cosign keeps signatures there). */
    record Descriptor(String digest, long size, String mediaType, java.util.Map<String, String> annotations) {
        public Descriptor {
            annotations = annotations == null ? java.util.Map.of() : java.util.Map.copyOf(annotations);
        }

        Descriptor(String digest, long size, String mediaType) {
            this(digest, size, mediaType, null);
        }
    }

    record Image(String digest, String mediaType, Descriptor config, List<Descriptor> layers)
            implements RegistryManifest {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    /** One manifest of a list; os/architecture null when the list gives no platform. */
    record Entry(String digest, String mediaType, String os, String architecture) {
        String platform() {
            return (os == null ? "unknown" : os) + "/" + (architecture == null ? "unknown" : architecture);
        }
    }

    record Index(String digest, String mediaType, List<Entry> manifests) implements RegistryManifest {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }

    /**
     * Reads a manifest's JSON (schema version 2; lists have {@code manifests}, images {@code config}).
     *
     * @throws RegistryCallException for schema 1 and for JSON that is no image manifest nor list
     */
    static RegistryManifest parse(String digest, String mediaType, String json) throws RegistryCallException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json); // a few manifests per image: no shared mapper needed
        } catch (IOException e) {
            throw new RegistryCallException(RegistryCallException.Kind.UNSUPPORTED, 0, "the manifest is not JSON");
        }
        int schema = root.path("schemaVersion").asInt(-1);
        if (schema == 1) {
            throw new RegistryCallException(RegistryCallException.Kind.UNSUPPORTED, 0,
                    "schema 1 manifests are not supported (push the image again with a current client)");
        }
        if (schema != 2) {
            throw new RegistryCallException(RegistryCallException.Kind.UNSUPPORTED, 0,
                    "manifest schemaVersion " + root.path("schemaVersion") + " is not supported");
        }
        if (root.has("manifests")) {
            List<Entry> entries = new ArrayList<>();
            for (JsonNode m : root.path("manifests")) {
                JsonNode p = m.path("platform");
                entries.add(new Entry(text(m, "digest"), text(m, "mediaType"), text(p, "os"), text(p, "architecture")));
            }
            return new Index(digest, mediaType, entries);
        }
        if (!root.path("config").isObject()) {
            throw new RegistryCallException(RegistryCallException.Kind.UNSUPPORTED, 0,
                    "the manifest has neither a config nor a list of manifests");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : root.path("layers")) {
            layers.add(descriptor(l));
        }
        return new Image(digest, mediaType, descriptor(root.path("config")), layers);
    }

    private static Descriptor descriptor(JsonNode n) throws RegistryCallException {
        String digest = text(n, "digest");
        if (digest == null) {
            throw new RegistryCallException(RegistryCallException.Kind.UNSUPPORTED, 0,
                    "the manifest has a descriptor without a digest");
        }
        java.util.Map<String, String> annotations = new java.util.LinkedHashMap<>();
        n.path("annotations").fields().forEachRemaining(f -> {
            if (f.getValue().isTextual()) {
                annotations.put(f.getKey(), f.getValue().asText());
            }
        });
        return new Descriptor(digest, n.path("size").asLong(-1), text(n, "mediaType"), annotations);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
