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
