package dev.posture.image.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which registries may be reached over plain HTTP, and that the others never are. */
class RegistryTransportTest {

    static boolean plainHttp(String ref, String... insecure) {
        SourceOptions options = new SourceOptions(Platform.DEFAULT, Set.of(insecure), null, null, null, null,
                Duration.ofSeconds(5));
        return new RegistrySource(ImageReference.parse(ref), options).plainHttpAllowed();
    }

    @Test
    void loopbackNeedsNoFlagOthersNeedTheirHostOrHostAndPort() {
        assertThat(plainHttp("localhost:5000/app")).isTrue();
        assertThat(plainHttp("127.0.0.1:5000/app")).isTrue();
        assertThat(plainHttp("registry.lab:5000/app")).isFalse();
        assertThat(plainHttp("registry.lab:5000/app", "registry.lab")).isTrue();
        assertThat(plainHttp("registry.lab:5000/app", "registry.lab:5000")).isTrue();
        assertThat(plainHttp("registry.lab:5000/app", "http://Registry.Lab:5000/")).isTrue();
        assertThat(plainHttp("registry.lab:5000/app", "registry.lab:5001")).isFalse();
        assertThat(plainHttp("registry.lab/app", "registry.lab:5000")).isFalse();
        assertThat(plainHttp("ghcr.io/acme/app", "registry.lab")).isFalse();
        assertThat(plainHttp("nginx", "docker.io")).isFalse();
    }

    /** Without plain HTTP allowed, a server that does not speak TLS is a TLS failure, never a downgrade. */
    @Test
    void httpsOnlyNeverFallsBackToPlainHttp() throws Exception {
        try (LoopbackFakeRegistry fake = new LoopbackFakeRegistry();
             JibRegistryClient client = new JibRegistryClient(ImageReference.parse(fake.address() + "/shop/app"),
                     RegistryCredential.anonymous(null), false, Duration.ofSeconds(5))) {
            assertThatThrownBy(client::authenticate)
                    .isInstanceOfSatisfying(RegistryCallException.class, e -> {
                        assertThat(e.kind()).isEqualTo(RegistryCallException.Kind.TLS);
                        assertThat(e.retryable()).isFalse();
                    });
            assertThat(fake.requests()).isEmpty(); // the fake saw TLS hellos only, never a plain request
        }
    }
}
