package dev.posture.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The OPA API double answers with the shapes of OPA's REST API reference, seen from a plain HTTP client. */
class OpaApiDoubleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> call(URI base, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void policyAndDataApisAnswerAsOpaDocumentsThem() throws Exception {
        try (OpaApiDouble opa = OpaApiDouble.start()) {
            URI u = opa.url();
            assertThat(call(u, "GET", "/health", null, null).body()).isEqualTo("{}");
            var put = call(u, "PUT", "/v1/policies/example1", "package opa.examples\n\nallow_request if input.example.flag == true\n", null);
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.body()).isEqualTo("{}");
            var yes = call(u, "POST", "/v1/data/opa/examples/allow_request", "{\"input\": {\"example\": {\"flag\": true}}}", null);
            assertThat(JSON.readTree(yes.body())).isEqualTo(JSON.readTree("{\"result\": true}"));
            var undefined = call(u, "POST", "/v1/data/opa/examples/allow_request", "{\"input\": {\"example\": {\"flag\": false}}}", null);
            assertThat(undefined.statusCode()).isEqualTo(200);
            assertThat(undefined.body()).isEqualTo("{}");
            var malformed = call(u, "POST", "/v1/data/opa/examples", "{\"input\": ", null);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(malformed.body()).get("code").asText()).isEqualTo("invalid_parameter");
            var bad = call(u, "PUT", "/v1/policies/broken", "package x\n\np if {\n  y\n}\n", null);
            assertThat(bad.statusCode()).isEqualTo(400);
            JsonNode err = JSON.readTree(bad.body());
            assertThat(err.get("code").asText()).isEqualTo("invalid_parameter");
            assertThat(err.at("/errors/0/code").asText()).startsWith("rego_");
            assertThat(err.at("/errors/0/location/file").asText()).isEqualTo("broken");
            assertThat(err.at("/errors/0/location/row").asInt()).isEqualTo(4);
            assertThat(opa.policyIds()).containsExactly("example1");
            assertThat(call(u, "PUT", "/v1/data/servers/eu", "[1, 2]", null).statusCode()).isEqualTo(204);
            assertThat(JSON.readTree(call(u, "POST", "/v1/data/servers", "{}", null).body()))
                    .isEqualTo(JSON.readTree("{\"result\": {\"eu\": [1, 2]}}"));
            assertThat(call(u, "DELETE", "/v1/data/servers", null, null).statusCode()).isEqualTo(204);
            assertThat(call(u, "DELETE", "/v1/data/servers", null, null).statusCode()).isEqualTo(404);
            assertThat(call(u, "DELETE", "/v1/policies/example1", null, null).statusCode()).isEqualTo(200);
            var gone = call(u, "DELETE", "/v1/policies/example1", null, null);
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(gone.body()).get("code").asText()).isEqualTo("resource_not_found");
            var conflict = call(u, "PUT", "/v1/policies/c", "package c\n\nx := 1 if input.a\n\nx := 2 if input.a\n", null);
            assertThat(conflict.statusCode()).isEqualTo(200);
            var evalError = call(u, "POST", "/v1/data/c", "{\"input\": {\"a\": true}}", null);
            assertThat(evalError.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(evalError.body()).get("code").asText()).isEqualTo("internal_error");
            assertThat(JSON.readTree(evalError.body()).get("message").asText()).contains("eval_conflict_error");
        }
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        try (OpaApiDouble opa = OpaApiDouble.withToken("t0k")) {
            var none = call(opa.url(), "GET", "/health", null, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(none.body()).get("code").asText()).isEqualTo("unauthorized");
            assertThat(call(opa.url(), "GET", "/health", null, "other").statusCode()).isEqualTo(401);
            assertThat(call(opa.url(), "GET", "/health", null, "t0k").statusCode()).isEqualTo(200);
        }
    }
}
