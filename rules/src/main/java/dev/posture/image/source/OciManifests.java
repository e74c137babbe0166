package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An OCI (or Docker v2) image manifest chosen from an index → the {@link ImageManifest} of its config and layers. */
final class OciManifests {
    /** Throws when a layer blob the manifest lists is not at hand (missing, not a layer, escaping). */
    @FunctionalInterface
    interface LayerCheck {
        void check(String digest) throws ImageException, IOException;
    }

    private OciManifests() {
    }

    static ImageManifest manifest(String describe, OciIndex.Selected sel, OciIndex.JsonBlobs blobs,
                                  LayerCheck layerCheck) throws ImageException, IOException {
        String what = describe + ": manifest " + Blobs.shortDigest(sel.digest());
        JsonNode m = sel.manifest();
        String configDigest = Blobs.checkDigest(what + " config", Blobs.text(m.get("config"), "digest"));
        byte[] config = blobs.get(configDigest);
        if (config == null) {
            throw new ImageException(what + " names config " + Blobs.shortDigest(configDigest)
                    + ", whose blob is missing");
        }
        JsonNode ls = m.get("layers");
        if (ls == null || !ls.isArray()) {
            throw new ImageException(what + " has no 'layers' list");
        }
        List<LayerDescriptor> layers = new ArrayList<>();
        for (JsonNode d : ls) {
            String digest = Blobs.checkDigest(what + " layer", Blobs.text(d, "digest"));
            layerCheck.check(digest);
            JsonNode size = d.get("size");
            layers.add(new LayerDescriptor(digest, digest, size != null && size.canConvertToLong() ? size.asLong() : -1,
                    Blobs.text(d, "mediaType")));
        }
        return new ImageManifest(sel.digest(), sel.mediaType(), config, configDigest, layers,
                sel.refName() == null ? List.of() : List.of(sel.refName()));
    }
}
