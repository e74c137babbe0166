package dev.posture.image.source;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.UnknownManifestFormatException;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.posture.image.source.RegistryCallException.Kind;
import dev.posture.model.Redaction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.DigestException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * {@link RegistryApi} on jib-core's pull client ({@code RegistryClient}, {@code FailoverHttpClient}, the manifest
 * templates). That client is not Jib's public API, so this is the only class that touches it: upgrading jib
 * (pinned as {@code jib-core.version} in the parent pom) touches this file only.
 *
 * <p>What jib gives: the {@code WWW-Authenticate} dance (Bearer token, with Basic credentials or an identity token,
 * or Basic), manifest content negotiation and parsing, the manifest's digest from the bytes received, blob
 * streaming with a digest check at the end of each blob, and HTTPS falling back to plain HTTP where allowed. What
 * is ours: retries (jib's own, ten with back-off on any I/O error, are turned off), messages, and logs — jib's
 * log events go to the
 * {@code com.google.cloud.tools.jib} logger (silent unless {@code -v}), masked, never with a credential: jib's
 * exception texts are not used at all, since some of them quote the token request.
 */
final class JibRegistryClient implements RegistryApi {
    private static final Logger JIB_LOG = Logger.getLogger("com.google.cloud.tools.jib");
    /** jib reads its connect/read timeout from this JVM-wide property on every request; a scan has one value. */
    private static final String TIMEOUT_PROPERTY = "jib.httpTimeout";

    private final FailoverHttpClient http;
    private final RegistryClient client;
    private final Credential credential;

    /**
     * @param plainHttp HTTPS first, then HTTPS without certificate checks, then plain HTTP (credentials are sent
     *                  over plain HTTP too: loopback and {@code --insecure-registry} hosts only); else HTTPS only
     */
    JibRegistryClient(ImageReference ref, RegistryCredential credential, boolean plainHttp, Duration timeout) {
        System.setProperty(TIMEOUT_PROPERTY, Long.toString(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        EventHandlers events = EventHandlers.builder().add(LogEvent.class, JibRegistryClient::log).build();
        this.http = newHttpClient(plainHttp, JibRegistryClient::log);
        this.credential = credential.isAnonymous() ? null : Credential.from(credential.username(), credential.secret());
        this.client = RegistryClient.factory(events, ref.registry(), ref.repository(), http)
                .setCredential(this.credential)
                .setUserAgent("posture")
                .newRegistryClient();
    }

    /** True when jib's own I/O retries are off (its package-private constructor is still there). */
    static boolean ownRetriesOnly() {
        return retrylessConstructor() != null;
    }

    @Override
    public void authenticate() throws RegistryCallException {
        try {
            boolean bearer = client.doPullBearerAuth();
            if (!bearer && credential != null && !credential.isOAuth2RefreshToken()) {
                client.configureBasicAuth(); // the registry asked for Basic (or nothing): send it with every call
            }
        } catch (IOException | RegistryException | RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public RegistryManifest manifest(String reference) throws RegistryCallException {
        try {
            ManifestAndDigest<ManifestTemplate> m = client.pullManifest(reference);
            ManifestTemplate t = m.getManifest();
            // jib's templates hide descriptor media types behind private fields: their JSON shows them
            return RegistryManifest.parse(m.getDigest().toString(), t.getManifestMediaType(),
                    JsonTemplateMapper.toUtf8String(t));
        } catch (IOException | RegistryException | RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public void blob(String digest, OutputStream out) throws RegistryCallException {
        DescriptorDigest d;
        try {
            d = DescriptorDigest.fromDigest(digest);
        } catch (DigestException e) {
            throw new RegistryCallException(Kind.UNSUPPORTED, 0, "digest " + digest + " is not a sha256 digest");
        }
        try {
            client.pullBlob(d, size -> { }, written -> { }).writeTo(out);
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public void close() {
        try {
            http.shutDown();
        } catch (IOException e) {
            JIB_LOG.log(Level.FINE, "closing registry connections: " + e.getClass().getSimpleName());
        }
    }

    /** Turns whatever jib threw into a kind and a detail that quotes no jib text (it may quote a token request). */
    static RegistryCallException classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnauthorizedException || t instanceof RegistryAuthenticationFailedException) {
                return new RegistryCallException(Kind.UNAUTHORIZED, statusIn(t), "unauthorized");
            }
            if (t instanceof RegistryCredentialsNotSentException) {
                return new RegistryCallException(Kind.UNAUTHORIZED, 401, "credentials not sent over plain HTTP");
            }
            if (t.getClass().getSimpleName().equals("UnexpectedBlobDigestException")) { // package-private in jib
                return new RegistryCallException(Kind.DIGEST_MISMATCH, 0, "digest mismatch");
            }
            if (t instanceof UnknownManifestFormatException) {
                return new RegistryCallException(Kind.UNSUPPORTED, 0,
                        "the manifest is neither a Docker v2 schema 2 nor an OCI image manifest, nor a list of them");
            }
            if (t instanceof ResponseException r) {
                int status = r.getStatusCode();
                Kind kind = status == 401 || status == 403 ? Kind.UNAUTHORIZED : status == 404 ? Kind.NOT_FOUND
                        : Kind.HTTP_STATUS;
                return new RegistryCallException(kind, status, "HTTP " + status);
            }
            if (t instanceof UnknownHostException) {
                return new RegistryCallException(Kind.UNKNOWN_HOST, 0, "unknown host");
            }
            if (t instanceof InsecureRegistryException || t instanceof SSLException) {
                return new RegistryCallException(Kind.TLS, 0, jdkDetail(t instanceof InsecureRegistryException
                        && t.getCause() != null ? t.getCause() : t));
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t.getClass().getSimpleName().equals("NoHttpResponseException")
                    || t instanceof SocketException && !(t.getCause() instanceof SSLException)) {
                // ConnectTimeoutException is no ConnectException: it is a timeout, below
                return new RegistryCallException(Kind.CONNECTION, 0, jdkDetail(t));
            }
            if (t instanceof InterruptedIOException && !(t instanceof java.nio.channels.ClosedByInterruptException)) {
                return new RegistryCallException(Kind.TIMEOUT, 0, "timed out");
            }
        }
        return new RegistryCallException(Kind.IO, 0, jdkDetail(e));
    }

    private static int statusIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ResponseException r) {
                return r.getStatusCode();
            }
        }
        return 401;
    }

    /** A JDK or HTTP-library message ("Connection refused"); for anything else only its class name. */
    private static String jdkDetail(Throwable t) {
        String type = t.getClass().getName();
        boolean trusted = type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("org.apache.http.");
        String message = t.getMessage();
        if (!trusted || message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return Redaction.redact(message.strip());
    }

    private static FailoverHttpClient newHttpClient(boolean plainHttp, Consumer<LogEvent> log) {
        Constructor<FailoverHttpClient> retryless = retrylessConstructor();
        if (retryless != null) {
            try {
                return retryless.newInstance(plainHttp, plainHttp, log, false);
            } catch (ReflectiveOperationException | RuntimeException e) {
                JIB_LOG.fine("jib's FailoverHttpClient(…, enableRetry) is not usable: "
                        + e.getClass().getSimpleName());
            }
        }
        return new FailoverHttpClient(plainHttp, plainHttp, log);
    }

    /**
     * jib's {@code FailoverHttpClient(boolean, boolean, Consumer, boolean enableRetry)} is package-private (marked
     * for tests); its public constructor retries every I/O error ten times with back-off, which would make a
     * timeout or a refused connection take minutes on top of our own three attempts.
     */
    private static Constructor<FailoverHttpClient> retrylessConstructor() {
        try {
            Constructor<FailoverHttpClient> c = FailoverHttpClient.class.getDeclaredConstructor(
                    boolean.class, boolean.class, Consumer.class, boolean.class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static void log(LogEvent event) {
        // diagnostics only: every failure reaches the user as our own ImageException, and jib warns about routine
        // things (falling back to plain HTTP on a loopback registry)
        Level level = switch (event.getLevel()) {
            case ERROR, WARN -> Level.INFO;
            case LIFECYCLE, INFO -> Level.FINE;
            default -> Level.FINER;
        };
        if (JIB_LOG.isLoggable(level)) {
            // jib colours its errors with ANSI escapes; and nothing it says may carry a credential shape
            String text = event.getMessage().replaceAll("\u001B\\[[0-9;]*m", "").replaceAll("\\p{Cntrl}", " ");
            JIB_LOG.log(level, Redaction.redact(text));
        }
    }
}
