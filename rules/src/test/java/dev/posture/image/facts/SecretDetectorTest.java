package dev.posture.image.facts;

import dev.posture.image.layer.ContentProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SecretDetectorTest {
    private final SecretDetector detector = new SecretDetector();

    private ContentProbe.Match probe(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        assertThat(detector.wants(path, b.length)).isTrue();
        return detector.probe(path, b, b.length);
    }

    private void found(String path, String content, String kind, String evidence, String secret) {
        ContentProbe.Match m = probe(path, content);
        assertThat(m).as(path).isNotNull();
        assertThat(m.kind()).isEqualTo(kind);
        assertThat(m.evidence()).isEqualTo(evidence);
        if (secret != null) {
            assertThat(m.evidence()).doesNotContain(secret);
        }
    }

    private void none(String path, String content) {
        assertThat(probe(path, content)).as(path).isNull();
    }

    @Test
    void privateKeysAnywhere() {
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        found("root/.ssh/id_rsa", key, "private-key", "-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNz");
        found("srv/certs/tls.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
                + "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n", "private-key", "-----BEGIN RSA PRIVATE KEY-----", null);
        found("x/key.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n", "private-key",
                "-----BEGIN PGP PRIVATE KEY BLOCK-----", null);
        none("etc/ssl/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        none("root/.ssh/id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2E root@host\n");
        none("usr/share/doc/openssl/README", "how to write a PRIVATE KEY file");
    }

    @Test
    void largeFilesAreLookedAtOnlyWhenTheirNameSaysSo() {
        long big = ContentProbe.PREFIX_BYTES + 1L;
        assertThat(detector.wants("usr/lib/libbig.so", big)).isFalse();
        assertThat(detector.wants("app/server.pem", big)).isTrue();
        assertThat(detector.wants("app/.env", big)).isTrue();
        assertThat(detector.wants("root/.aws/credentials", big)).isTrue();
        assertThat(detector.wants("root/.docker/config.json", big)).isTrue();
        assertThat(detector.wants("usr/lib/small.so", 100)).isTrue();
    }

    @Test
    void awsCredentials() {
        found("root/.aws/credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                        + "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "aws-credentials",
                "aws_secret_access_key = wJ****", "wJalrXUtnFEMI");
        none("root/.aws/credentials", "[default]\nregion = eu-west-1\n");
        none("root/.aws/credentials", "aws_secret_access_key =\n");
        // the key name in code elsewhere is no credentials file
        none("app/settings.py", "aws_secret_access_key = os.environ['KEY']\n");
    }

    @Test
    void gcpServiceAccount() {
        String json = """
                {"type": "service_account", "project_id": "shop", "private_key_id": "0123456789abcdef0123",
                 "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvg\\n-----END PRIVATE KEY-----\\n"}
                """;
        found("app/sa.json", json, "gcp-service-account", "\"private_key_id\": \"01****\"", "0123456789abcdef");
        none("app/package.json", "{\"type\": \"module\", \"name\": \"service_account\"}");
    }

    @Test
    void azureCredentials() {
        found("root/.azure/accessTokens.json", "[{\"accessToken\": \"eyJ0eXAiOiJKV1QiLCJhbGciOi\"}]",
                "azure-credentials", "\"accessToken\": \"ey****\"", "eyJ0eXAiOiJKV1Qi");
        none("root/.azure/azureProfile.json", "{\"subscriptions\": []}");
    }

    @Test
    void dotenv() {
        found("app/.env", "APP_ENV=production\nDB_PASSWORD=demo-not-a-real-password-123\n", "dotenv",
                "DB_PASSWORD=de****", "demo-not-a-real");
        found("app/.env.production", "export STRIPE_API_KEY=\"sk_live_51DemoOnlyNotARealKey0000\"\n", "dotenv",
                "STRIPE_API_KEY=sk****", "sk_live_51Demo");
        found("app/prod.env", "GITHUB_TOKEN=ghp_0123456789 # comment\n", "dotenv", "GITHUB_TOKEN=gh****", null);
        none("app/.env", "DB_PASSWORD=\nAPI_TOKEN=\"\"\nSECRET=${FROM_VAULT}\nAPP_ENV=production\n");
        none("app/.env.example", "DB_PASSWORD=changeme-please\n");
    }

    @Test
    void npmrcAndPypirc() {
        found("root/.npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_abcdefghij12\n",
                "npmrc-token", "_authToken=np****", "npm_abcdefghij");
        none("root/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
        none("root/.npmrc", "registry=https://registry.npmjs.org/\n");
        found("root/.pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n", "pypirc-password",
                "password = py****", "pypi-AgEI");
        none("root/.pypirc", "[pypi]\nusername = __token__\n");
    }

    @Test
    void kubeconfigs() {
        String kube = """
                apiVersion: v1
                kind: Config
                clusters: []
                users:
                - name: admin
                  user:
                    token: eyJhbGciOiJSUzI1NiIsImtpZCI6
                """;
        found("root/.kube/config", kube, "kubeconfig-token", "token: ey****", "eyJhbGciOiJSUzI1");
        found("etc/kubernetes/admin.conf", kube.replace("token:", "client-key-data:"), "kubeconfig-token",
                "client-key-data: ey****", null);
        none("root/.kube/config", "apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    exec: {}\n");
        none("app/chart/kubeconfig.yaml", "kind: Config\nusers:\n- user:\n    token: {{ .Values.token }}\n");
    }

    @Test
    void gitCredentialsNetrcDockerHtpasswdAndShadowBackups() {
        found("root/.git-credentials", "https://alice:ghp_abcdefghijklmnop@github.com\n", "git-credentials",
                "https://alice:gh****@github.com", "ghp_abcdefghijklmnop");
        none("root/.git-credentials", "https://github.com\n");
        found("root/.netrc", "machine api.example.com login alice password s3cr3t-value-x\n", "netrc",
                "password s3****", "s3cr3t-value");
        none("root/.netrc", "machine api.example.com login alice\n");
        found("root/.docker/config.json", "{\"auths\": {\"ghcr.io\": {\"auth\": \"YWxpY2U6c2VjcmV0LXRva2Vu\"}}}",
                "docker-auth", "\"auth\": \"YW****\"", "YWxpY2U6c2Vj");
        none("root/.docker/config.json", "{\"auths\": {\"ghcr.io\": {}}, \"credsStore\": \"desktop\"}");
        found("etc/nginx/.htpasswd", "admin:$apr1$9fGh$Wq0cZmV5bW9yZWhhc2g\n", "htpasswd", "admin:$a****",
                "$apr1$9fGh$Wq0c");
        found("etc/shadow-", "root:$6$saltsalt$hashhashhashhash:19000:0:99999:7:::\n", "shadow-backup",
                "root:$6****", "$6$saltsalt");
        found("backup/shadow.bak", "app:$y$j9T$abcdefghijkl$mnopqrstuv:19000::::::\n", "shadow-backup",
                "app:$y****", null);
        none("etc/shadow-", "root:*:19000:0:99999:7:::\nnobody:!:19000::::::\n");
        none("etc/shadow", "root:$6$saltsalt$hashhashhashhash:19000:0:99999:7:::\n");
    }

    @ParameterizedTest
    @CsvSource({"usr/bin/ls, ELF binary", "app/index.js, module.exports = {}", "app/.env.sample, TOKEN=x"})
    void ordinaryFilesAreNoSecrets(String path, String content) {
        none(path, content);
    }
}
