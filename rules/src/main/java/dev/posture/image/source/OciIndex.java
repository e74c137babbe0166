package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Picks one image manifest from an OCI {@code index.json} (or a Docker manifest list), following nested indexes:
 * the only image there is, else the one for the platform asked for. Attestation manifests (platform
 * {@code unknown/unknown}) are no images. Several images for one platform (two tags of different images in one
 * layout) are an error naming them: posture reads one image per archive or layout.
 */
final class OciIndex {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final int MAX_DEPTH = 4;
    /** Real indexes list a platform or ten; each listed manifest may be read to learn its platform. */
    static final int MAX_MANIFESTS = 1000;

    /** JSON blobs by digest: their bytes, or null when the archive or layout does not hold them. */
    @FunctionalInterface
    interface JsonBlobs {
        byte[] get(String digest) throws ImageException, IOException;
    }

    /**
     * The image manifest chosen.
     *
     * @param digest    its descriptor's digest
     * @param mediaType the descriptor's (or the manifest's own) media type
     * @param manifest  the manifest, parsed; its bytes matched the digest
     * @param refName   the image name its index gives it ({@code io.containerd.image.name}, else the
     *                  {@code org.opencontainers.image.ref.name} annotation), or null
     */
    record Selected(String digest, String mediaType, JsonNode manifest, String refName) {
    }

    private record Leaf(JsonNode descriptor, String digest, String refName) {
    }

    private OciIndex() {
    }

    static Selected select(String describe, JsonNode index, JsonBlobs blobs, Platform platform)
            throws ImageException, IOException {
        List<Leaf> leaves = new ArrayList<>();
        collect(describe, "index.json", index, null, blobs, leaves, 0);
        Map<String, Leaf> distinct = new LinkedHashMap<>();
        for (Leaf l : leaves) {
            distinct.putIfAbsent(l.digest, l);
        }
        if (distinct.isEmpty()) {
            throw new ImageException(describe + ": index.json lists no image manifest");
        }
        if (distinct.size() == 1) {
            return load(describe, distinct.values().iterator().next(), blobs);
        }
        List<Leaf> matching = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Leaf l : distinct.values()) {
            Platform p = platformOf(describe, l, blobs);
            if (p != null) {
                seen.add(p.toString());
                if (matches(p, platform)) {
                    matching.add(l);
                }
            }
        }
        if (matching.isEmpty()) {
            throw new ImageException(describe + ": no " + platform + " image among " + distinct.size()
                    + " manifests" + (seen.isEmpty() ? "" : " (" + String.join(", ", seen) + ")")
                    + "; choose one with --platform");
        }
        if (matching.size() > 1) {
            List<String> names = matching.stream()
                    .map(l -> l.refName != null ? l.refName : Blobs.shortDigest(l.digest)).toList();
            throw new ImageException(describe + ": holds " + matching.size() + " images for " + platform + " ("
                    + String.join(", ", names) + "); posture reads one image per archive: save or copy them"
                    + " separately");
        }
        Leaf chosen = matching.get(0);
        if (blobs.get(chosen.digest) == null) {
            List<String> present = present(describe, distinct.values(), blobs);
            throw new ImageException(describe + ": its index names a " + platform + " image whose manifest is missing"
                    + (present.isEmpty() ? "" : "; it holds " + String.join(", ", present) + ": choose one with"
                    + " --platform"));
        }
        return load(describe, chosen, blobs);
    }

    /** The platforms whose manifests are there: Docker 25+ saves an index whole, but only the platforms it holds. */
    private static List<String> present(String describe, Iterable<Leaf> leaves, JsonBlobs blobs)
            throws ImageException, IOException {
        List<String> present = new ArrayList<>();
        for (Leaf l : leaves) {
            Platform p = blobs.get(l.digest) == null ? null : platformOf(describe, l, blobs);
            if (p != null) {
                present.add(p.toString());
            }
        }
        return present;
    }

    private static void collect(String describe, String what, JsonNode index, String refName, JsonBlobs blobs,
                                List<Leaf> leaves, int depth) throws ImageException, IOException {
        JsonNode manifests = index.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw new ImageException(describe + ": " + what + " has no 'manifests' list");
        }
        for (JsonNode d : manifests) {
            String digest = Blobs.checkDigest(describe + ": " + what, Blobs.text(d, "digest"));
            String ref = name(d, refName);
            if (isAttestation(d)) {
                continue;
            }
            String mt = Blobs.text(d, "mediaType");
            if (OCI_INDEX.equals(mt) || DOCKER_LIST.equals(mt)) {
                if (depth >= MAX_DEPTH) {
                    throw new ImageException(describe + ": indexes nested more than " + MAX_DEPTH + " deep");
                }
                JsonNode nested = fetch(describe, "index " + Blobs.shortDigest(digest), digest, blobs);
                collect(describe, "index " + Blobs.shortDigest(digest), nested, ref, blobs, leaves, depth + 1);
            } else if (leaves.size() >= MAX_MANIFESTS) {
                throw new ImageException(describe + ": its indexes list more than " + MAX_MANIFESTS + " manifests");
            } else {
                leaves.add(new Leaf(d, digest, ref));
            }
        }
    }

    private static String name(JsonNode descriptor, String inherited) {
        JsonNode a = descriptor.get("annotations");
        String full = Blobs.text(a, CONTAINERD_NAME);
        String ref = Blobs.text(a, REF_NAME);
        return full != null ? full : ref != null ? ref : inherited;
    }

    private static boolean isAttestation(JsonNode d) {
        JsonNode p = d.get("platform");
        return "attestation-manifest".equals(Blobs.text(d.get("annotations"), "vnd.docker.reference.type"))
                || p != null && "unknown".equals(Blobs.text(p, "os"))
                && "unknown".equals(Blobs.text(p, "architecture"));
    }

    /** The descriptor's platform, else the one its config records; null when neither is at hand. */
    private static Platform platformOf(String describe, Leaf l, JsonBlobs blobs) throws ImageException, IOException {
        JsonNode p = l.descriptor.get("platform");
        if (p != null && Blobs.text(p, "os") != null && Blobs.text(p, "architecture") != null) {
            return platform(p);
        }
        byte[] m = blobs.get(l.digest);
        if (m == null) {
            return null;
        }
        JsonNode manifest = Blobs.json(describe, "manifest " + Blobs.shortDigest(l.digest), m);
        String configDigest = Blobs.text(manifest.get("config"), "digest");
        byte[] config = configDigest == null ? null : blobs.get(Blobs.checkDigest(describe, configDigest));
        if (config == null) {
            return null;
        }
        JsonNode c = Blobs.json(describe, "config " + Blobs.shortDigest(configDigest), config);
        return Blobs.text(c, "os") != null && Blobs.text(c, "architecture") != null ? platform(c) : null;
    }

    private static Platform platform(JsonNode n) {
        return new Platform(Blobs.text(n, "os").toLowerCase(Locale.ROOT), arch(Blobs.text(n, "architecture")),
                Blobs.text(n, "variant"));
    }

    private static String arch(String a) {
        String s = a.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> s;
        };
    }

    static boolean matches(Platform have, Platform want) {
        return have.os().equals(want.os()) && have.architecture().equals(arch(want.architecture()))
                && (want.variant() == null || want.variant().equalsIgnoreCase(Objects.toString(have.variant(), "")));
    }

    private static Selected load(String describe, Leaf l, JsonBlobs blobs) throws ImageException, IOException {
        JsonNode m = fetch(describe, "manifest " + Blobs.shortDigest(l.digest), l.digest, blobs);
        String mt = Blobs.text(l.descriptor, "mediaType");
        if (mt == null) {
            mt = Blobs.text(m, "mediaType");
        }
        if (mt != null && !OCI_MANIFEST.equals(mt) && !DOCKER_MANIFEST.equals(mt)) {
            throw new ImageException(describe + ": manifest " + Blobs.shortDigest(l.digest) + " has media type "
                    + Blobs.shorten(mt) + ", not an image manifest posture reads");
        }
        return new Selected(l.digest, mt != null ? mt : OCI_MANIFEST, m, l.refName);
    }

    private static JsonNode fetch(String describe, String what, String digest, JsonBlobs blobs)
            throws ImageException, IOException {
        byte[] b = blobs.get(digest);
        if (b == null) {
            throw new ImageException(describe + ": index.json lists " + what + ", whose blob is missing");
        }
        Blobs.verify(describe + ": " + what, digest, b);
        return Blobs.json(describe, what, b);
    }
}
