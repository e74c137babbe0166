package dev.posture.image.source;

import java.io.OutputStream;

/**
 * The few registry calls {@link RegistrySource} makes, in its own terms: {@link JibRegistryClient} implements them
 * on jib-core, and nothing else sees a jib type. Thread-safe: blobs are pulled two at a time.
 */
interface RegistryApi extends AutoCloseable {

    /** Asks the registry how to authenticate ({@code GET /v2/}) and answers its Bearer or Basic challenge. */
    void authenticate() throws RegistryCallException;

    /** The manifest (or list) a tag or digest names. */
    RegistryManifest manifest(String reference) throws RegistryCallException;

    /**
     * Writes a blob's bytes as they arrive into {@code out} (which may be closed by the client when done). Returns
     * when the whole blob was written; a failure of {@code out} itself ends the call with a {@link
     * RegistryCallException} of kind IO.
     */
    void blob(String digest, OutputStream out) throws RegistryCallException;

    /** Aborts what is in flight and frees connections. */
    @Override
    void close();
}
