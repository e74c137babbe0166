package dev.posture.image.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * From a reference to the one image manifest to read: a digest-pinned reference must get exactly that digest; a
 * manifest list or OCI index is narrowed to the platform asked for (os and architecture from the list; a variant
 * from the candidates' configs, since the client's list model drops variants), and the manifest it points to must
 * have the digest the list gives.
 */
final class RegistryManifestResolver {
    /** The chosen manifest, and its config when resolving a variant already fetched it (else null). */
    /** @param topDigest the digest the reference resolved to (the list's, for a multi-platform image): what cosign signs */
    record Resolved(RegistryManifest.Image image, byte[] config, String topDigest) {
        Resolved withTop(String top) {
            return new Resolved(image, config, top);
        }
    }

    private record Candidate(RegistryManifest.Image image, byte[] config, String variant) {
    }

    private final RegistryApi api;
    private final RegistryRetry retry;
    private final RegistryErrors errors;
    private final RegistryBlobs blobs;

    RegistryManifestResolver(RegistryApi api, RegistryRetry retry, RegistryErrors errors, RegistryBlobs blobs) {
        this.api = api;
        this.retry = retry;
        this.errors = errors;
        this.blobs = blobs;
    }

    Resolved resolve(ImageReference ref, Platform platform) throws ImageException, InterruptedIOException {
        RegistryManifest top = fetch(ref.qualifier());
        if (ref.digest() != null && !top.digest().equalsIgnoreCase(ref.digest())) {
            throw errors.of("the registry served a manifest with digest " + top.digest() + " for " + ref.digest());
        }
        if (top instanceof RegistryManifest.Image image) {
            return new Resolved(image, null, top.digest());
        }
        RegistryManifest.Index index = (RegistryManifest.Index) top;
        List<RegistryManifest.Entry> candidates = index.manifests().stream()
                .filter(e -> platform.os().equalsIgnoreCase(Objects.toString(e.os(), ""))
                        && platform.architecture().equalsIgnoreCase(Objects.toString(e.architecture(), "")))
                .toList();
        if (candidates.isEmpty()) {
            throw errors.of("no manifest for " + platform + " in the " + kind(index) + " (it has "
                    + String.join(", ", listed(index)) + ")");
        }
        if (candidates.size() == 1 && platform.variant() == null) {
            return new Resolved(child(index, candidates.get(0)), null, top.digest());
        }
        return byVariant(index, candidates, platform).withTop(top.digest());
    }

    /** Several manifests for one os/architecture, or a variant asked for: the candidates' configs tell. */
    private Resolved byVariant(RegistryManifest.Index index, List<RegistryManifest.Entry> entries, Platform platform)
            throws ImageException, InterruptedIOException {
        List<Candidate> candidates = new ArrayList<>();
        for (RegistryManifest.Entry e : entries) {
            RegistryManifest.Image image = child(index, e);
            byte[] config = blobs.config(image.config());
            candidates.add(new Candidate(image, config, variant(config, platform.architecture())));
        }
        if (platform.variant() != null) {
            String want = platform.variant().toLowerCase(Locale.ROOT);
            for (Candidate c : candidates) {
                if (want.equalsIgnoreCase(Objects.toString(c.variant(), ""))) {
                    return new Resolved(c.image(), c.config(), null);
                }
            }
            if (candidates.size() == 1 && candidates.get(0).variant() == null) { // the image does not say: take it
                return new Resolved(candidates.get(0).image(), candidates.get(0).config(), null);
            }
        }
        Set<String> found = new LinkedHashSet<>();
        candidates.forEach(c -> found.add(platform.os() + "/" + platform.architecture()
                + (c.variant() == null ? "" : "/" + c.variant())));
        if (platform.variant() == null) {
            throw errors.of("the " + kind(index) + " has several manifests for " + platform + " ("
                    + String.join(", ", found) + "): name one with --platform");
        }
        throw errors.of("no manifest for " + platform + " in the " + kind(index) + " (it has "
                + String.join(", ", found) + ")");
    }

    private RegistryManifest.Image child(RegistryManifest.Index index, RegistryManifest.Entry e)
            throws ImageException, InterruptedIOException {
        if (e.digest() == null) {
            throw errors.of("the " + kind(index) + " has an entry for " + e.platform() + " without a digest");
        }
        RegistryManifest m = fetch(e.digest());
        if (!m.digest().equalsIgnoreCase(e.digest())) {
            throw errors.of("the registry served a manifest with digest " + m.digest() + " for " + e.digest()
                    + " (" + e.platform() + ")");
        }
        if (m instanceof RegistryManifest.Image image) {
            return image;
        }
        throw errors.of("the " + kind(index) + " entry for " + e.platform() + " is itself a list, which is not"
                + " supported");
    }

    private RegistryManifest fetch(String reference) throws ImageException, InterruptedIOException {
        try {
            return retry.call("manifest " + reference, () -> api.manifest(reference));
        } catch (RegistryRetry.Exhausted e) {
            throw errors.manifest(reference, e);
        }
    }

    private static String kind(RegistryManifest.Index index) {
        return index.mediaType() != null && index.mediaType().contains("docker") ? "manifest list" : "index";
    }

    /** The list's platforms for a message, without the unknown/unknown entries of build attestations. */
    private static Set<String> listed(RegistryManifest.Index index) {
        Set<String> out = new LinkedHashSet<>();
        for (RegistryManifest.Entry e : index.manifests()) {
            if (!e.platform().equals("unknown/unknown")) {
                out.add(e.platform());
            }
        }
        if (out.isEmpty()) {
            out.add("no platforms");
        }
        return out;
    }

    /** The config's {@code variant}; arm64 without one is v8, as containerd reads it. */
    private static String variant(byte[] config, String architecture) {
        String v = null;
        try {
            var node = new ObjectMapper().readTree(config).path("variant");
            v = node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
        } catch (IOException e) {
            // an unreadable config has no variant here; the inspector reports what is wrong with it
        }
        return v == null ? (architecture.equalsIgnoreCase("arm64") ? "v8" : null) : v.toLowerCase(Locale.ROOT);
    }
}
