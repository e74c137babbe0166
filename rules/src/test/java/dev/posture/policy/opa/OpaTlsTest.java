package dev.posture.policy.opa;

import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --opa-ca-cert}: an https OPA (the API double) with a self-signed certificate, trusted through its PEM. */
public class OpaTlsTest {

    /** A self-signed certificate for 127.0.0.1 made with the JDK's keytool: the key store and the PEM. */
    public static Path[] selfSigned(Path dir) throws Exception {
        Path ks = dir.resolve("opa.p12");
        Path pem = dir.resolve("opa-ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "opa", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "opa", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-file", pem.toString());
        return new Path[] {ks, pem};
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    public static SSLContext serverContext(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Test
    void theGivenPemIsTrustedAndWithoutItTheHandshakeFailureIsExplained(@TempDir Path tmp) throws Exception {
        Path[] cert = selfSigned(tmp);
        try (OpaApiDouble opa = OpaApiDouble.https(serverContext(cert[0]))) {
            assertThat(opa.url().getScheme()).isEqualTo("https");
            assertThatThrownBy(() -> OpaPolicyEngine.connect(OpaOptions.of(opa.url())))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("opa at " + opa.url() + ": cannot reach the server")
                    .hasMessageContaining("TLS failed").hasMessageContaining("--opa-ca-cert");
            assertThat(opa.requests()).isEmpty();
            try (OpaPolicyEngine engine = OpaPolicyEngine.connect(OpaOptions.of(opa.url()).withCaCert(cert[1]))) {
                var loaded = engine.load(List.of(new PolicyModule("t.rego", "package t.x\n\ndeny contains \"yes\" if input.y\n")),
                        null, EvalLimits.DEFAULT);
                var ev = loaded.evaluator(loaded.packages("t")).evaluate(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"y\": 1}"));
                assertThat(ev.errors()).isEmpty();
                assertThat(ev.results().get(0).deny()).hasSize(1);
            }
            assertThat(opa.policyIds()).isEmpty();
        }
        Path notPem = tmp.resolve("not.pem");
        Files.writeString(notPem, "hello");
        assertThatThrownBy(() -> OpaPolicyEngine.connect(OpaOptions.of(java.net.URI.create("https://127.0.0.1:1")).withCaCert(notPem)))
                .isInstanceOf(PolicyException.class).hasMessageContaining("--opa-ca-cert " + notPem);
    }
}
