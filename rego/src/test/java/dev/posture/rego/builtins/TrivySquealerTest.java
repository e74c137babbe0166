package dev.posture.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.posture.rego.PolicySet;
import dev.posture.rego.QueryResult;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import org.junit.jupiter.api.Test;

class TrivySquealerTest {
    private static String scan(String s) {
        QueryResult r = PolicySet.builder().trivyHelpers().build().prepare("x := squealer.scan_string(input.s)")
                .eval(Value.objOf("s", Value.str(s)), null);
        return r.isEmpty() ? "undefined" : Json.toJson(r.rows().get(0).bindings().get("x")).toString();
    }

    private static boolean found(String s) {
        return scan(s).contains("\"transgressionFound\":true");
    }

    @Test
    void resultShapeOfACleanString() {
        assertThat(scan("export GREETING=\"Hello there\""))
                .isEqualTo("{\"description\":\"\",\"transgressionFound\":false}");
    }

    @Test
    void resultShapeOfAFinding() {
        assertThat(scan("export DATABASE_PASSWORD=\\\"SomeSortOfPassword\\\""))
                .isEqualTo("{\"description\":\"Secret assigned to a sensitive name\",\"transgressionFound\":true}");
    }

    @Test
    void wellKnownCredentialFormats() {
        assertThat(scan("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")).contains("AWS access key ID");
        assertThat(scan("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).contains("AWS secret access key");
        assertThat(scan("git clone https://ghp_" + "a".repeat(36) + "@github.com/x/y")).contains("GitHub token");
        assertThat(scan("-----BEGIN RSA PRIVATE KEY-----\nMIIE...")).contains("Private key");
        assertThat(scan("-----BEGIN OPENSSH PRIVATE KEY-----")).contains("Private key");
        assertThat(scan("curl -H 'Authorization: xoxb-1234567890-abcdef'")).contains("Slack token");
        assertThat(scan("psql postgres://admin:s3cr3tpw@db.internal:5432/app")).contains("Credentials in a URL");
        assertThat(scan("key=AIza" + "B".repeat(35))).contains("Google API key");
    }

    @Test
    void secretLikeNamesNeedAValue() {
        assertThat(found("DB_PASSWORD: hunter2hunter2")).isTrue();
        assertThat(found("client_secret=\"abcdef123456\"")).isTrue();
        assertThat(found("api-key: 0123456789abcdef")).isTrue();
        // a reference to another variable, an empty or short value, or a bare value are not findings
        assertThat(found("DB_PASSWORD=$DB_PASSWORD_FROM_VAULT")).isFalse();
        assertThat(found("PASSWORD=")).isFalse();
        assertThat(found("token=abc")).isFalse();
        assertThat(found("password123")).isFalse();
        assertThat(found("development")).isFalse();
        assertThat(found("export AWS_DEFAULT_REGION=us-west-2")).isFalse();
        assertThat(found("apt-get install -y nginx && echo done")).isFalse();
    }

    @Test
    void nonStringIsUndefinedAndArityIsChecked() {
        QueryResult r = PolicySet.builder().trivyHelpers().build().prepare("x := squealer.scan_string(1)").eval((Value) null, null);
        assertThat(r.isEmpty()).isTrue();
        assertThatThrownBy(() -> PolicySet.builder().trivyHelpers().module("p.rego", "package p\nx := squealer.scan_string(\"a\", \"b\")\n").build())
                .hasMessageContaining("squealer.scan_string");
    }
}
