package dev.posture.image.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * An image in a registry (Docker Registry HTTP API v2 / OCI distribution), read through jib-core's pull client.
 *
 * <p>Manifests: Docker v2 schema 2 and OCI image manifests; Docker manifest lists and OCI indexes narrowed to
 * {@link SourceOptions#platform()}; schema 1 is refused. A digest-pinned reference must get a manifest with exactly
 * that digest, and so must every manifest a list points to. The config is read into memory; layers are streamed to
 * the sink under their digest, two at a time; a layer's stream ends cleanly only once its digest checked out (a
 * mismatch fails the image).
 *
 * <p>Transport: HTTPS; plain HTTP (and HTTPS without certificate checks) only for loopback registries and
 * {@link SourceOptions#insecureRegistries()}. Connection errors, HTTP 5xx and 429 are tried three times with
 * back-off (0.5 s, 1 s); nothing else is retried. Credentials: see {@link DockerCredentials}.
 */
public final class RegistrySource implements ImageSource {
    private static final Logger LOG = Logger.getLogger(RegistrySource.class.getName());
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ImageReference ref;
    private final SourceOptions options;
    private final Map<String, String> env;
    private final RegistryRetry retry;

    public RegistrySource(ImageReference ref, SourceOptions options) {
        this(ref, options, System.getenv(), RegistryRetry.DEFAULT);
    }

    /** @param env where credential helpers are looked up ({@code PATH}) and what they run with */
    RegistrySource(ImageReference ref, SourceOptions options, Map<String, String> env, RegistryRetry retry) {
        this.ref = ref;
        this.options = options;
        this.env = Map.copyOf(env);
        this.retry = retry;
    }

    @Override
    public String describe() {
        return "registry " + ref;
    }

    @Override
    public String kind() {
        return "registry";
    }

    @Override
    public ImageManifest read(LayerSink layers) throws ImageException, IOException {
        Duration timeout = options.timeout() != null ? options.timeout() : DEFAULT_TIMEOUT;
        Platform platform = options.platform() != null ? options.platform() : Platform.DEFAULT;
        RegistryCredential credential = new DockerCredentials(env, timeout).resolve(ref.registry(), options);
        RegistryErrors errors = new RegistryErrors(ref, credential.origin(), timeout);
        LOG.fine(() -> describe() + ": " + credential.origin() + (plainHttpAllowed() ? ", plain HTTP allowed" : ""));
        try (RegistryApi api = new JibRegistryClient(ref, credential, plainHttpAllowed(), timeout)) {
            authenticate(api, errors);
            RegistryBlobs blobs = new RegistryBlobs(api, retry, errors);
            RegistryManifestResolver.Resolved chosen =
                    new RegistryManifestResolver(api, retry, errors, blobs).resolve(ref, platform);
            RegistryManifest.Image image = chosen.image();
            resolvedDigest = chosen.topDigest() != null ? chosen.topDigest() : image.digest();
            LOG.fine(() -> describe() + ": manifest " + image.digest() + " (" + image.mediaType() + "), "
                    + image.layers().size() + " layers");
            byte[] config = chosen.config() != null ? chosen.config() : blobs.config(image.config());
            blobs.layers(image.layers(), layers);
            List<LayerDescriptor> descriptors = image.layers().stream()
                    .map(l -> new LayerDescriptor(l.digest(), l.digest(), l.size(), l.mediaType()))
                    .toList();
            return new ImageManifest(image.digest(), image.mediaType(), config, image.config().digest(), descriptors,
                    List.of());
        }
    }

    /** The digest the reference resolved to in the last {@link #read} (a list's digest for a multi-platform image). */
    private volatile String resolvedDigest;

    /** A signature payload larger than this is not read (cosign's are a few hundred bytes). */
    static final int MAX_SIGNATURE_PAYLOAD = 1024 * 1024;

    /**
     * What the registry holds as cosign signatures of the image, read after {@link #read}: the manifest under the
     * tag {@code sha256-<hex>.sig} of the digest the reference resolved to, and the payload of each of its layers
     * that carries a signature annotation. No such tag: no candidates (unsigned). The OCI 1.1 referrers API is not
     * asked (the registries tested here do not serve it).
     *
     * @return the digest looked up and the candidates
     * @throws ImageException when the registry cannot be asked (other than 404), naming the image
     */
    public SignatureLookup cosignSignatures() throws ImageException, InterruptedIOException {
        String digest = resolvedDigest;
        if (digest == null) {
            throw new IllegalStateException("read the image first");
        }
        Duration timeout = options.timeout() != null ? options.timeout() : DEFAULT_TIMEOUT;
        RegistryCredential credential = new DockerCredentials(env, timeout).resolve(ref.registry(), options);
        RegistryErrors errors = new RegistryErrors(ref, credential.origin(), timeout);
        String tag = dev.posture.image.signature.CosignSignatures.signatureTag(digest);
        try (RegistryApi api = new JibRegistryClient(ref, credential, plainHttpAllowed(), timeout)) {
            authenticate(api, errors);
            RegistryManifest m;
            try {
                m = retry.call("reading " + tag, () -> api.manifest(tag));
            } catch (RegistryRetry.Exhausted e) {
                if (e.last() != null && e.last().kind() == RegistryCallException.Kind.NOT_FOUND) {
                    return new SignatureLookup(digest, java.util.List.of());
                }
                throw errors.of("cannot read its signatures (" + tag + "): " + e.getMessage());
            }
            if (!(m instanceof RegistryManifest.Image sig)) {
                throw errors.of(tag + " is a list, not a cosign signature manifest");
            }
            java.util.List<dev.posture.image.signature.CosignSignatures.Candidate> out = new java.util.ArrayList<>();
            for (RegistryManifest.Descriptor l : sig.layers()) {
                String signature = l.annotations().get(dev.posture.image.signature.CosignSignatures.SIGNATURE_ANNOTATION);
                if (signature == null || l.size() > MAX_SIGNATURE_PAYLOAD) {
                    continue;
                }
                java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
                try {
                    retry.call("reading signature payload " + l.digest(), () -> {
                        payload.reset();
                        api.blob(l.digest(), payload);
                        return null;
                    });
                } catch (RegistryRetry.Exhausted e) {
                    throw errors.of("cannot read signature payload " + l.digest() + ": " + e.getMessage());
                }
                byte[] bytes = payload.toByteArray();
                if (!sha256(bytes).equals(l.digest())) {
                    continue; // a payload that is not what its descriptor says counts as no signature
                }
                out.add(new dev.posture.image.signature.CosignSignatures.Candidate(bytes, signature));
            }
            return new SignatureLookup(digest, out);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param digest the image digest whose signatures were looked up */
    public record SignatureLookup(String digest,
                                  java.util.List<dev.posture.image.signature.CosignSignatures.Candidate> candidates) {
        public SignatureLookup {
            candidates = java.util.List.copyOf(candidates);
        }
    }

    private void authenticate(RegistryApi api, RegistryErrors errors) throws ImageException, InterruptedIOException {
        try {
            retry.call("authenticating", () -> {
                api.authenticate();
                return null;
            });
        } catch (RegistryRetry.Exhausted e) {
            throw errors.authenticating(e);
        }
    }

    /** Loopback registries, and those named by {@code --insecure-registry} as host or host:port. */
    boolean plainHttpAllowed() {
        if (ref.loopback()) {
            return true;
        }
        String registry = ref.registry().toLowerCase(Locale.ROOT);
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        for (String entry : options.insecureRegistries()) {
            String e = entry.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "").replaceFirst("/+$", "");
            if (e.equals(registry) || e.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
