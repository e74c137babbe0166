package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import dev.posture.policy.opa.OpaApiDouble;
import dev.posture.policy.opa.OpaOptions;
import dev.posture.policy.opa.OpaPolicyEngine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code posture scan --opa-url} against the OPA API double (OPA's REST API on loopback, backed by the embedded
 * engine): the same findings as the embedded engine, and what happens when OPA is down, slow, wrong or refuses.
 */
class OpaScanAgainstOpaApiDoubleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    OpaApiDouble opa;

    @BeforeEach
    void start() throws Exception {
        opa = OpaApiDouble.start();
    }

    @AfterEach
    void stop() {
        opa.close();
    }

    /** What must be the same whichever engine: every finding in full, every target with its status. */
    static JsonNode comparable(String report) throws Exception {
        JsonNode r = JSON.readTree(report);
        ObjectNode out = JSON.createObjectNode();
        out.set("findings", r.get("findings"));
        ArrayNode targets = out.putArray("targets");
        for (JsonNode t : r.get("targets")) {
            targets.add(t);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "controls/kubernetes", "k8s", "images"})
    void theFindingsAreTheSameAsTheEmbeddedEngines(String dir) throws Exception {
        long t0 = System.nanoTime();
        Cli embedded = run("scan", fixture(dir), "-f", "json", "--no-ignore-file", "-q");
        long t1 = System.nanoTime();
        Cli viaOpa = run("scan", fixture(dir), "-f", "json", "--no-ignore-file", "-q", "--opa-url", opa.url().toString());
        long t2 = System.nanoTime();
        System.out.printf("parity %s: embedded %d ms, OPA API double %d ms, %d requests%n", dir, (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, opa.requests().size());
        assertThat(viaOpa.err()).isEqualTo(embedded.err());
        assertThat(viaOpa.exit()).isEqualTo(embedded.exit());
        JsonNode a = comparable(embedded.out());
        JsonNode b = comparable(viaOpa.out());
        assertThat(a.get("findings").size()).isGreaterThan(0);
        assertThat(b).isEqualTo(a);
        assertThat(opa.count("POST", "/v1/data/posture/")).isGreaterThan(0);
        // cleaned up
        assertThat(opa.policyIds()).isEmpty();
        // nothing written stays: at most the empty parent object OPA's store keeps after a nested DELETE
        // (data.posture after DELETE /v1/data/posture/inventory)
        assertThat(opa.data().findValues("inventory")).isEmpty();
        assertThat(opa.data().findValues("config")).isEmpty();
        opa.data().fields().forEachRemaining(f -> assertThat(f.getValue().size()).as(f.getKey()).isZero());
    }

    /**
     * The user's policies (native, conftest, Gatekeeper) give the same findings through OPA as embedded;
     * Gatekeeper's templates are Rego v0, so their OPA runs with --v0-compatible (as the error without it says).
     */
    @ParameterizedTest
    @ValueSource(strings = {"native", "conftest", "gatekeeper"})
    void yourPoliciesGiveTheSameFindingsThroughOpa(String convention) throws Exception {
        if (convention.equals("gatekeeper")) {
            Cli refused = run("scan", fixture("policies/manifests"), "--policy", fixture("policies/gatekeeper"), "-q",
                    "--opa-url", opa.url().toString());
            assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("is written in Rego v0: start OPA with --v0-compatible");
            opa.close();
            opa = OpaApiDouble.v0Compatible();
        }
        String[] args = {"scan", fixture("policies/manifests"), fixture("demo/images/storefront.tar"), "--policy",
                fixture("policies/" + convention), "-f", "json", "--no-ignore-file", "-q"};
        Cli embedded = run(args);
        String[] viaOpaArgs = java.util.Arrays.copyOf(args, args.length + 2);
        viaOpaArgs[args.length] = "--opa-url";
        viaOpaArgs[args.length + 1] = opa.url().toString();
        Cli viaOpa = run(viaOpaArgs);
        assertThat(viaOpa.err()).isEqualTo(embedded.err());
        assertThat(viaOpa.exit()).isEqualTo(embedded.exit());
        JsonNode a = comparable(embedded.out());
        assertThat(a.get("findings").findValuesAsText("ruleId")).as("the user's rules fired")
                .anyMatch(id -> !id.startsWith("k8s-") && !id.startsWith("img-"));
        assertThat(comparable(viaOpa.out())).isEqualTo(a);
        assertThat(opa.policyIds()).isEmpty();
    }

    /** Trivy's checks call Trivy's builtins (result.new): an OPA without them refuses the module, before scanning. */
    @Test
    void trivyStyleChecksNeedAnOpaWithTrivysBuiltins() {
        Cli c = run("scan", fixture("policies/manifests"), "--policy", fixture("policies/trivy"), "-q",
                "--opa-url", opa.url().toString());
        assertThat(c.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err()).contains("result.new");
    }

    @Test
    void anUnhealthyServerStopsTheScanWithExitTwo() {
        opa.unhealthy("not all plugins in OK state");
        Cli r = run("scan", fixture("demo/k8s"), "-f", "json", "--opa-url", opa.url().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("posture scan: opa at " + opa.url() + " is not healthy", "GET /health: HTTP 500",
                "not all plugins in OK state");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnreachableServerIsNamedAndStopsTheScan() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli r = run("scan", fixture("demo/k8s"), "--opa-url", "http://127.0.0.1:" + port, "--opa-timeout", "2");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("opa at http://127.0.0.1:" + port + ": cannot reach the server");
    }

    @Test
    void aServerErrorOnOneObjectFailsItsFileAndTheOthersAreScanned() throws Exception {
        // every request about the hardened storefront's objects fails
        opa.fault(req -> req.method().equals("POST") && req.body().contains("storefront-hardened")
                ? Optional.of(OpaApiDouble.Reply.of(500, "{\"code\": \"internal_error\", \"message\": \"disk on fire\"}"))
                : Optional.empty());
        Path dir = Files.createTempDirectory("opa-5xx");
        Files.writeString(dir.resolve("ok.yaml"), Files.readString(Path.of(fixture("demo/k8s/storefront.yaml"))));
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: storefront-hardened
                spec:
                  containers:
                    - name: app
                      image: nginx:1.25
                """);
        Cli r = run("scan", dir.toString(), "-f", "json", "--no-ignore-file", "--opa-url", opa.url().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        JsonNode report = JSON.readTree(r.out());
        Map<String, JsonNode> targets = new LinkedHashMap<>();
        for (JsonNode t : report.get("targets")) {
            targets.put(Path.of(t.get("name").asText()).getFileName().toString(), t);
        }
        assertThat(targets.get("ok.yaml").get("status").asText()).isEqualTo("scanned");
        assertThat(targets.get("bad.yaml").get("status").asText()).isEqualTo("failed");
        assertThat(targets.get("bad.yaml").toString()).contains("Pod/default/storefront-hardened", "opa at " + opa.url(),
                "HTTP 500", "internal_error", "disk on fire");
        assertThat(report.get("findings").size()).isGreaterThan(0);
        assertThat(r.err()).contains("scan incomplete: 1 target(s) failed");
    }

    @Test
    void anImageWhoseEvaluationFailsIsAFailedTargetNotACleanOne() throws Exception {
        opa.fault(req -> req.method().equals("POST") && req.path().startsWith("/v1/data/posture/image")
                ? Optional.of(OpaApiDouble.Reply.of(502, "<html>bad gateway</html>")) : Optional.empty());
        Cli r = run("scan", fixture("demo/images"), "-f", "json", "--no-ignore-file", "--opa-url", opa.url().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        JsonNode target = JSON.readTree(r.out()).get("targets").get(0);
        assertThat(target.get("status").asText()).isEqualTo("failed");
        assertThat(target.toString()).contains("opa at " + opa.url(), "POST /v1/data/posture/image", "HTTP 502",
                "bad gateway");
        assertThat(JSON.readTree(r.out()).get("findings")).isEmpty();
    }

    @Test
    void aModuleTheServerRefusesStopsTheScanWithItsLocations() {
        opa.fault(req -> req.method().equals("PUT") && req.path().endsWith("/privileged.rego")
                ? Optional.of(OpaApiDouble.Reply.of(400, """
                {"code": "invalid_parameter", "message": "error(s) occurred while compiling module(s)",
                 "errors": [{"code": "rego_type_error", "message": "undefined function lib.containers",
                             "location": {"file": "posture/policies/kubernetes/privileged.rego", "row": 12, "col": 3}}]}"""))
                : Optional.empty());
        Cli r = run("scan", fixture("demo/k8s"), "--opa-url", opa.url().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("refused 1 module(s)",
                "policies/kubernetes/privileged.rego:12:3: rego_type_error: undefined function lib.containers");
        assertThat(opa.policyIds()).isEmpty(); // what was uploaded before is deleted again
    }

    @Test
    void theTokenIsSentAndNeverPrinted(@TempDir Path tmp) throws Exception {
        opa.close();
        opa = OpaApiDouble.withToken("tok-8d1e55");
        Path file = tmp.resolve("token");
        Files.writeString(file, "tok-8d1e55\n");
        Cli ok = run("scan", fixture("demo/k8s"), "-f", "json", "--no-ignore-file", "--opa-url", opa.url().toString(),
                "--opa-token-file", file.toString());
        assertThat(ok.exit()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(ok.out()).get("findings").size()).isGreaterThan(0);
        assertThat(opa.requests()).allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer tok-8d1e55"));
        Cli bad = run("scan", fixture("demo/k8s"), "--opa-url", opa.url().toString(), "--opa-token", "wrong-tok-3");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("HTTP 401 unauthorized", "--opa-token").doesNotContain("wrong-tok-3");
        assertThat(ok.err() + ok.out()).doesNotContain("tok-8d1e55");
    }

    @Test
    void withoutPushNothingIsUploadedAndTheFindingsAreTheSame() throws Exception {
        List<PolicyModule> modules = new ArrayList<>(PolicySources.bundled("policies/kubernetes"));
        modules.addAll(PolicySources.bundled("policies/image"));
        try (OpaPolicyEngine admin = OpaPolicyEngine.connect(OpaOptions.of(opa.url()))) {
            admin.push(modules); // as a bundle would have loaded them
            long puts = opa.count("PUT", "/v1/policies");
            Cli embedded = run("scan", fixture("demo"), "-f", "json", "--no-ignore-file", "-q");
            Cli viaOpa = run("scan", fixture("demo"), "-f", "json", "--no-ignore-file", "-q", "--opa-url",
                    opa.url().toString(), "--opa-no-push");
            assertThat(comparable(viaOpa.out())).isEqualTo(comparable(embedded.out()));
            assertThat(opa.count("PUT", "/v1/policies")).isEqualTo(puts);
            assertThat(opa.count("DELETE", "/v1/policies")).isZero();
            // only the scan's own data is written
            assertThat(opa.requests().stream().filter(q -> q.method().equals("PUT") && q.path().startsWith("/v1/data"))
                    .map(OpaApiDouble.Request::path)).containsOnly("/v1/data/inventory", "/v1/data/posture/inventory",
                            "/v1/data/config");
        }
    }

    @Test
    void anHttpsServerIsTrustedThroughOpaCaCert(@TempDir Path tmp) throws Exception {
        Path[] cert = dev.posture.policy.opa.OpaTlsTest.selfSigned(tmp);
        opa.close();
        opa = OpaApiDouble.https(dev.posture.policy.opa.OpaTlsTest.serverContext(cert[0]));
        Cli embedded = run("scan", fixture("demo/k8s"), "-f", "json", "--no-ignore-file", "-q");
        Cli viaOpa = run("scan", fixture("demo/k8s"), "-f", "json", "--no-ignore-file", "-q", "--opa-url",
                opa.url().toString(), "--opa-ca-cert", cert[1].toString());
        assertThat(viaOpa.exit()).as(viaOpa.err()).isEqualTo(embedded.exit());
        assertThat(comparable(viaOpa.out())).isEqualTo(comparable(embedded.out()));
        Cli untrusted = run("scan", fixture("demo/k8s"), "--opa-url", opa.url().toString());
        assertThat(untrusted.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(untrusted.err()).contains("TLS failed", "--opa-ca-cert PEM");
        Cli missing = run("scan", fixture("demo/k8s"), "--opa-url", opa.url().toString(), "--opa-ca-cert",
                tmp.resolve("nope.pem").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--opa-ca-cert: ", "nope.pem: no such file");
    }

    @Test
    void opaOptionsWithoutAUrlAreAUsageError() {
        Cli r = run("scan", fixture("demo/k8s"), "--opa-token", "x");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("the --opa-* options need --opa-url");
        Cli t = run("scan", fixture("demo/k8s"), "--opa-url", opa.url().toString(), "--opa-timeout", "soon");
        assertThat(t.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(t.err()).contains("--opa-timeout");
        assertThat(opa.requests()).isEmpty();
    }

    @Test
    void theBundleHoldsTheManifestThePoliciesAndData(@TempDir Path tmp) throws Exception {
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine.resolve("sub"));
        Files.writeString(mine.resolve("sub/labels.rego"), "package acme.labels\n\ndeny contains \"no owner\" if not input.metadata.labels.owner\n");
        Files.writeString(mine.resolve("sub/labels_test.rego"), "package acme.labels_test\n\ntest_x if true\n");
        Files.writeString(mine.resolve("gk.rego"), "package k8srequired\n\nviolation[{\"msg\": \"m\"}] {\n  input.review\n}\n");
        Path out = tmp.resolve("b.tar.gz");
        Cli r = run("policy", "bundle", "--policy", mine.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(out);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(files).containsKeys("/.manifest", "/data.json", "/policies/kubernetes/privileged.rego",
                "/policies/image/run_as_root.rego", "/custom/mine/sub/labels.rego", "/custom/mine/gk.rego");
        assertThat(files.keySet()).noneMatch(n -> n.endsWith("_test.rego"));
        assertThat(files.get("/policies/kubernetes/privileged.rego"))
                .isEqualTo(Files.readString(Cli.ROOT.resolve("policies/kubernetes/privileged.rego")));
        JsonNode manifest = JSON.readTree(files.get("/.manifest"));
        assertThat(manifest.get("roots")).extracting(JsonNode::asText).containsExactly("acme", "k8srequired",
                "posture/image", "posture/kubernetes", "posture/lib");
        assertThat(manifest.get("revision").asText()).startsWith(Version.get() + "-").hasSize(Version.get().length() + 13);
        assertThat(manifest.get("rego_version").asInt()).isEqualTo(1);
        assertThat(manifest.at("/file_rego_versions").toString()).isEqualTo("{\"/custom/mine/gk.rego\":0}");
        assertThat(JSON.readTree(files.get("/data.json")).isObject()).isTrue();
        // the same content gives the same revision; other content another
        Path again = tmp.resolve("again.tar.gz");
        run("policy", "bundle", "--policy", mine.toString(), "-o", again.toString());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(out));
        Files.writeString(mine.resolve("gk.rego"), "package k8srequired\n\nviolation contains {\"msg\": \"n\"} if input.review\n");
        Cli changed = run("policy", "bundle", "--policy", mine.toString(), "-o", again.toString());
        assertThat(changed.err()).doesNotContain(manifest.get("revision").asText()).contains("revision " + Version.get() + "-");
    }
}
