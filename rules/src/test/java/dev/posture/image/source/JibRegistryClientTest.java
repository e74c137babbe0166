package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.posture.image.source.RegistryCallException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class JibRegistryClientTest {

    /** Fails when a jib upgrade removes the constructor that turns jib's own ten retries off. */
    @Test
    void jibsOwnRetriesAreOff() {
        assertThat(JibRegistryClient.ownRetriesOnly()).isTrue();
    }

    @Test
    void failuresAreClassifiedWithoutQuotingUnknownTexts() {
        assertThat(JibRegistryClient.classify(new IOException(new UnknownHostException("nosuch.invalid"))).kind())
                .isEqualTo(Kind.UNKNOWN_HOST);
        assertThat(JibRegistryClient.classify(new SocketTimeoutException("Read timed out")).kind())
                .isEqualTo(Kind.TIMEOUT);
        RegistryCallException refused = JibRegistryClient.classify(new ConnectException("Connection refused"));
        assertThat(refused.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(refused.getMessage()).isEqualTo("Connection refused");
        assertThat(refused.retryable()).isTrue();
        assertThat(JibRegistryClient.classify(new SocketException("Connection reset")).kind())
                .isEqualTo(Kind.CONNECTION);
        RegistryCallException tls = JibRegistryClient.classify(new SSLHandshakeException("PKIX path building failed"));
        assertThat(tls.kind()).isEqualTo(Kind.TLS);
        assertThat(tls.retryable()).isFalse();

        // an exception of a library outside the JDK may quote a request (a token in a URL): only its type is kept
        RegistryCallException other = JibRegistryClient.classify(new IOException(new IllegalStateException(
                "GET https://u:tok3n-value@host/x")));
        assertThat(other.kind()).isEqualTo(Kind.IO);
        assertThat(other.getMessage()).doesNotContain("tok3n");
    }

    @Test
    void onlyConnectionErrorsServerErrorsAndTooManyRequestsAreRetried() {
        assertThat(new RegistryCallException(Kind.HTTP_STATUS, 503, "").retryable()).isTrue();
        assertThat(new RegistryCallException(Kind.HTTP_STATUS, 500, "").retryable()).isTrue();
        assertThat(new RegistryCallException(Kind.HTTP_STATUS, 429, "").retryable()).isTrue();
        assertThat(new RegistryCallException(Kind.HTTP_STATUS, 400, "").retryable()).isFalse();
        assertThat(new RegistryCallException(Kind.NOT_FOUND, 404, "").retryable()).isFalse();
        assertThat(new RegistryCallException(Kind.UNAUTHORIZED, 401, "").retryable()).isFalse();
        assertThat(new RegistryCallException(Kind.TIMEOUT, 0, "").retryable()).isFalse();
    }
}
