package dev.posture.image.source;

import java.time.Duration;

/**
 * Words every registry failure as one line naming the image: {@code registry HOST/REPO:TAG: what went wrong}.
 * Only our own texts, the HTTP status and JDK messages appear: never a credential, never the registry's body.
 */
final class RegistryErrors {
    private final ImageReference ref;
    private final String credentialOrigin;
    private final Duration timeout;

    RegistryErrors(ImageReference ref, String credentialOrigin, Duration timeout) {
        this.ref = ref;
        this.credentialOrigin = credentialOrigin;
        this.timeout = timeout;
    }

    String image() {
        return "registry " + ref;
    }

    ImageException of(String text) {
        return new ImageException(image() + ": " + text);
    }

    ImageException authenticating(RegistryRetry.Exhausted e) {
        return of(describe(e, "authentication", null));
    }

    ImageException manifest(String reference, RegistryRetry.Exhausted e) {
        return of(describe(e, "manifest " + reference, "manifest " + reference + " not found in " + ref.repository()));
    }

    /** @param role "config" or "layer" */
    ImageException blob(String role, String digest, RegistryRetry.Exhausted e) {
        return of(describe(e, role + " " + digest,
                "blob " + digest + " (" + role + ") not found in " + ref.repository()));
    }

    private String describe(RegistryRetry.Exhausted x, String what, String notFound) {
        RegistryCallException e = x.last();
        String host = ref.registry();
        String after = x.tries() > 1 ? " after " + x.tries() + " attempts" : "";
        return switch (e.kind()) {
            case UNAUTHORIZED -> "unauthorized for " + ref.repository() + " (HTTP " + e.status() + ", "
                    + credentialOrigin + ")";
            case NOT_FOUND -> notFound != null ? notFound + " (HTTP 404)"
                    : "HTTP 404 from " + host + " during " + what;
            case HTTP_STATUS -> "HTTP " + e.status() + " from " + host + " for " + what + after;
            case CONNECTION -> "cannot connect to " + host + " (" + e.getMessage() + ")" + after;
            case TIMEOUT -> host + " did not answer within " + seconds(timeout) + " (" + what + ")";
            case UNKNOWN_HOST -> "unknown host " + host;
            case TLS -> "TLS with " + host + " failed (" + e.getMessage() + "); a registry without a valid"
                    + " certificate needs --insecure-registry " + host;
            case DIGEST_MISMATCH -> what + " does not match its digest";
            case UNSUPPORTED -> e.getMessage();
            case IO -> "reading " + what + " failed (" + e.getMessage() + ")";
        };
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
