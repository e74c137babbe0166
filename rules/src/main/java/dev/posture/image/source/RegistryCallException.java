package dev.posture.image.source;

/**
 * One failed registry call, classified so that {@link RegistrySource} can decide on a retry and word the message
 * without knowing the client library. The detail never holds a credential.
 */
final class RegistryCallException extends Exception {

    enum Kind {
        /** HTTP 401/403, or the token server refused the credentials. */
        UNAUTHORIZED,
        NOT_FOUND,
        /** Any other HTTP status; {@link #status()} says which. */
        HTTP_STATUS,
        /** Refused, reset, or closed before an answer. */
        CONNECTION,
        TIMEOUT,
        UNKNOWN_HOST,
        TLS,
        DIGEST_MISMATCH,
        /** A manifest this source cannot read (schema 1, not an image). */
        UNSUPPORTED,
        IO
    }

    private final Kind kind;
    private final int status;

    RegistryCallException(Kind kind, int status, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.status = status;
    }

    Kind kind() {
        return kind;
    }

    /** The HTTP status when there was one, else 0. */
    int status() {
        return status;
    }

    /** Connection errors, HTTP 5xx and 429 may pass; other 4xx, TLS, timeouts and unknown hosts will not. */
    boolean retryable() {
        return kind == Kind.CONNECTION || kind == Kind.HTTP_STATUS && (status >= 500 || status == 429);
    }
}
