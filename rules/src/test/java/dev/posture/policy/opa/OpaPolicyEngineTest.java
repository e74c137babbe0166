package dev.posture.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.RulePackage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link OpaPolicyEngine} against the OPA API double: requests, results, errors, retries, cleanup. */
class OpaPolicyEngineTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<PolicyModule> MODULES = List.of(
            new PolicyModule("t/lib.rego", "package t.lib\n\nbad(x) if x.bad == true\n"),
            new PolicyModule("t/a.rego", "# METADATA\n# title: A\n# custom:\n#   id: t-a\npackage t.a\n\nimport data.t.lib\n\n"
                    + "deny contains msg if {\n  lib.bad(input)\n  msg := sprintf(\"%s is bad\", [input.name])\n}\n\n"
                    + "deny contains \"listed\" if input.name in data.inventory.names\n"),
            new PolicyModule("t/b.rego", "package t.b\n\ndeny contains {\"msg\": \"b\", \"n\": input.n} if input.n > 1\n\n"
                    + "warn contains \"w\" if input.n > 5\n"));

    OpaApiDouble opa;
    OpaPolicyEngine engine;

    @BeforeEach
    void start() throws Exception {
        opa = OpaApiDouble.start();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        opa.close();
    }

    OpaOptions options() {
        return OpaOptions.of(opa.url()).withRetries(3, Duration.ofMillis(10)).withTimeout(Duration.ofSeconds(5));
    }

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    static ObjectNode inventory() throws Exception {
        return (ObjectNode) json("{\"inventory\": {\"names\": [\"listed-one\"]}}");
    }

    static Map<String, Map<String, List<JsonNode>>> docs(PolicyEngine.Evaluation ev) {
        Map<String, Map<String, List<JsonNode>>> out = new java.util.TreeMap<>();
        for (PolicyEngine.PackageResult r : ev.results()) {
            out.put(r.pkg().path(), r.documents());
        }
        return out;
    }

    @Test
    void evaluatesEveryPackageInOneRequestPerInputWithTheEmbeddedEnginesResults() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        List<String> inputs = List.of("{\"name\": \"x\", \"bad\": true, \"n\": 7}", "{\"name\": \"listed-one\", \"n\": 0}",
                "{\"name\": \"ok\", \"n\": 1}");
        try (PolicyEngine.LoadedPolicies opaLoaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT);
             PolicyEngine.LoadedPolicies embedded = new EmbeddedRegoEngine().load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            List<RulePackage> pkgs = opaLoaded.packages("t");
            assertThat(pkgs).extracting(RulePackage::path).containsExactly("t.a", "t.b");
            assertThat(pkgs.get(0).metadata().id()).isEqualTo("t-a");
            assertThat(opa.data().at("/inventory/names/0").asText()).isEqualTo("listed-one");
            var viaOpa = opaLoaded.evaluator(pkgs, PolicyEngine.DENY_WARN);
            var viaEmbedded = embedded.evaluator(embedded.packages("t"), PolicyEngine.DENY_WARN);
            long before = opa.count("POST", "/v1/data");
            for (String in : inputs) {
                PolicyEngine.Evaluation a = viaOpa.evaluate(json(in));
                PolicyEngine.Evaluation b = viaEmbedded.evaluate(json(in));
                assertThat(a.errors()).isEmpty();
                assertThat(docs(a).toString()).isEqualTo(docs(b).toString());
            }
            assertThat(opa.count("POST", "/v1/data")).isEqualTo(before + inputs.size());
            assertThat(opa.requests().stream().filter(r -> r.method().equals("POST")).map(OpaApiDouble.Request::path))
                    .containsOnly("/v1/data/t");
            PolicyEngine.Evaluation first = viaOpa.evaluate(json(inputs.get(0)));
            assertThat(docs(first).get("t.a").get("deny")).extracting(JsonNode::asText).containsExactly("x is bad");
            assertThat(docs(first).get("t.b").get("warn")).extracting(JsonNode::asText).containsExactly("w");
        }
        // close of the load deleted its data
        assertThat(opa.data().has("inventory")).isFalse();
        assertThat(opa.policyIds()).containsExactlyInAnyOrder("posture/t/lib.rego", "posture/t/a.rego", "posture/t/b.rego");
        engine.close();
        assertThat(opa.policyIds()).isEmpty();
        assertThat(opa.requests()).extracting(OpaApiDouble.Request::line)
                .contains("PUT /v1/policies/posture/t/a.rego", "PUT /v1/data/inventory", "DELETE /v1/data/inventory",
                        "DELETE /v1/policies/posture/t/a.rego");
        // raw Rego with text/plain
        OpaApiDouble.Request put = opa.requests().stream().filter(r -> r.line().equals("PUT /v1/policies/posture/t/b.rego"))
                .findFirst().orElseThrow();
        assertThat(put.contentType()).isEqualTo("text/plain");
        assertThat(put.body()).isEqualTo(MODULES.get(2).source());
    }

    @Test
    void aFailingHelperRuleNoDocumentUsesDoesNotFailThePackageAsOnTheEmbeddedEngine() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        List<PolicyModule> mods = List.of(MODULES.get(2), new PolicyModule("t/h.rego",
                "package t.h\n\nhelper := 1 if input.n > 0\n\nhelper := 2 if input.n > 1\n\n"
                        + "deny contains \"h\" if input.n > 2\n"));
        try (var loaded = engine.load(mods, null, EvalLimits.DEFAULT);
             var embedded = new EmbeddedRegoEngine().load(mods, null, EvalLimits.DEFAULT)) {
            PolicyEngine.Evaluation a = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"n\": 3}"));
            PolicyEngine.Evaluation b = embedded.evaluator(embedded.packages("t")).evaluate(json("{\"n\": 3}"));
            assertThat(a.errors()).isEmpty();
            assertThat(docs(a).toString()).isEqualTo(docs(b).toString()).contains("h");
            assertThat(opa.requests()).extracting(OpaApiDouble.Request::line)
                    .contains("POST /v1/data/t", "POST /v1/data/t/h/deny", "POST /v1/data/t/b/deny", "POST /v1/data/t/b/warn");
        }
    }

    @Test
    void anUndefinedResultMeansNoFindings() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        opa.fault(r -> r.method().equals("POST") ? Optional.of(OpaApiDouble.Reply.of(200, "{}")) : Optional.empty());
        try (var loaded = engine.load(MODULES, null, EvalLimits.DEFAULT)) {
            PolicyEngine.Evaluation ev = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"name\": \"x\", \"bad\": true, \"n\": 9}"));
            assertThat(ev.errors()).isEmpty();
            assertThat(ev.results()).hasSize(2).allSatisfy(r -> assertThat(r.deny()).isEmpty());
        }
    }

    @Test
    void aServerErrorOnOnePackageFailsThatPackageOnlyAfterThreeAttemptsNamingOpasCodeAndMessage() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        opa.fault(r -> r.method().equals("POST") && !r.path().startsWith("/v1/data/t/a/")
                ? Optional.of(OpaApiDouble.Reply.of(500, "{\"code\": \"internal_error\", \"message\": \"storage exploded\"}"))
                : Optional.empty());
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            long before = opa.count("POST", "/v1/data");
            PolicyEngine.Evaluation ev = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"name\": \"x\", \"bad\": true, \"n\": 9}"));
            assertThat(ev.results()).extracting(r -> r.pkg().path()).containsExactly("t.a");
            assertThat(ev.results().get(0).deny()).extracting(JsonNode::asText).containsExactly("x is bad");
            assertThat(ev.errors()).hasSize(1);
            assertThat(ev.errors().get(0).pkg().path()).isEqualTo("t.b");
            assertThat(ev.errors().get(0).reason()).contains("opa at " + opa.url(), "POST /v1/data/t/b/deny", "HTTP 500",
                    "internal_error", "storage exploded");
            // the prefix 3 times, then each package's documents: t.a's deny once, t.b's deny 3 times (then not its warn)
            assertThat(opa.count("POST", "/v1/data") - before).isEqualTo(3 + 1 + 3);
        }
    }

    @Test
    void retriesConnectionLevelTroubleAndServerErrorsThenSucceeds() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        AtomicInteger n = new AtomicInteger();
        opa.fault(r -> r.method().equals("POST") && n.getAndIncrement() < 2
                ? Optional.of(OpaApiDouble.Reply.of(503, "upstream busy")) : Optional.empty());
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            long before = opa.count("POST", "/v1/data");
            PolicyEngine.Evaluation ev = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"name\": \"x\", \"bad\": true, \"n\": 9}"));
            assertThat(ev.errors()).isEmpty();
            assertThat(opa.count("POST", "/v1/data") - before).isEqualTo(3);
        }
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        opa.fault(r -> r.method().equals("POST")
                ? Optional.of(OpaApiDouble.Reply.of(400, "{\"code\": \"invalid_parameter\", \"message\": \"nope\"}")) : Optional.empty());
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            long before = opa.count("POST", "/v1/data");
            PolicyEngine.Evaluation ev = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"n\": 1}"));
            assertThat(ev.errors()).hasSize(2).allSatisfy(e -> assertThat(e.reason()).contains("HTTP 400 invalid_parameter: nope"));
            assertThat(opa.count("POST", "/v1/data") - before).isEqualTo(1 + 2);
        }
    }

    @Test
    void anEvaluationErrorIsNotRetriedAndNamesThePackage() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        List<PolicyModule> mods = List.of(MODULES.get(2), new PolicyModule("t/c.rego",
                "package t.c\n\ndeny := \"one\" if input.n > 0\n\ndeny := \"two\" if input.n > 1\n"));
        try (var loaded = engine.load(mods, null, EvalLimits.DEFAULT)) {
            long before = opa.count("POST", "/v1/data");
            PolicyEngine.Evaluation ev = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"n\": 3}"));
            assertThat(ev.results()).extracting(r -> r.pkg().path()).containsExactly("t.b");
            assertThat(ev.errors()).singleElement().satisfies(e -> {
                assertThat(e.pkg().path()).isEqualTo("t.c");
                assertThat(e.reason()).contains("internal_error", "eval_conflict_error");
            });
            // the prefix, then t.b's deny and warn, t.c's deny: none retried
            assertThat(opa.count("POST", "/v1/data") - before).isEqualTo(1 + 3);
        }
    }

    @Test
    void garbageAndTimeoutsFailTheInputsEvaluationWithTheReason() throws Exception {
        engine = OpaPolicyEngine.connect(options().withTimeout(Duration.ofMillis(400)));
        opa.fault(r -> r.method().equals("POST") && r.body().contains("garbage")
                ? Optional.of(OpaApiDouble.Reply.of(200, "<html>proxy error</html>")) : Optional.empty());
        opa.fault(r -> r.method().equals("POST") && r.body().contains("slow")
                ? Optional.of(new OpaApiDouble.Reply(200, "{}", 1500)) : Optional.empty());
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            var ev = loaded.evaluator(loaded.packages("t"));
            PolicyEngine.Evaluation g = ev.evaluate(json("{\"name\": \"garbage\"}"));
            assertThat(g.errors()).hasSize(2).allSatisfy(e -> assertThat(e.reason()).contains("not JSON", "proxy error"));
            long before = opa.count("POST", "/v1/data");
            PolicyEngine.Evaluation s = ev.evaluate(json("{\"name\": \"slow\"}"));
            assertThat(s.errors()).hasSize(2).allSatisfy(e -> assertThat(e.reason()).contains("POST /v1/data/t",
                    "no answer within 400 ms"));
            assertThat(opa.count("POST", "/v1/data") - before).as("a timeout is neither retried nor asked per package")
                    .isEqualTo(1);
            PolicyEngine.Evaluation ok = ev.evaluate(json("{\"name\": \"fine\", \"n\": 2}"));
            assertThat(ok.errors()).isEmpty();
            assertThat(docs(ok).get("t.b").get("deny")).hasSize(1);
        }
    }

    @Test
    void aModuleOpaRefusesIsReportedWithItsLocationsAndV0IsExplained() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        List<PolicyModule> broken = List.of(MODULES.get(2), new PolicyModule("custom/broken.rego",
                "package custom.broken\n\ndeny contains msg if {\n  msg := undefined_thing\n}\n"));
        assertThatThrownBy(() -> engine.load(broken, null, EvalLimits.DEFAULT)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("refused 1 module(s)")
                .hasMessageContaining("custom/broken.rego: invalid_parameter: error(s) occurred while compiling module(s)")
                .hasMessageMatching("(?s).*custom/broken\\.rego:4:\\d+: rego_unsafe_var_error: .*");
        List<PolicyModule> v0 = List.of(new PolicyModule("gatekeeper/template.rego",
                "package k8srequiredlabels\n\nviolation[{\"msg\": msg}] {\n  msg := \"missing\"\n  input.review\n}\n"));
        assertThatThrownBy(() -> engine.load(v0, null, EvalLimits.DEFAULT)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("rego_parse_error").hasMessageContaining("--v0-compatible");
    }

    @Test
    void aV0CompatibleServerTakesV0ModulesAndPosturesOwnV1Ones() throws Exception {
        opa.close();
        opa = OpaApiDouble.v0Compatible();
        engine = OpaPolicyEngine.connect(options());
        List<PolicyModule> mods = List.of(MODULES.get(2), new PolicyModule("gatekeeper/template.rego",
                "package k8srequiredlabels\n\nviolation[{\"msg\": msg}] {\n  msg := \"missing\"\n  input.review\n}\n"));
        try (var loaded = engine.load(mods, null, EvalLimits.DEFAULT)) {
            assertThat(loaded.packages("")).extracting(RulePackage::path).containsExactly("k8srequiredlabels", "t.b");
            var ev = loaded.evaluator(loaded.packages(""), d -> true).evaluate(json("{\"review\": {}, \"n\": 6}"));
            assertThat(ev.errors()).isEmpty();
            assertThat(docs(ev).get("k8srequiredlabels").get("violation")).singleElement()
                    .satisfies(v -> assertThat(v.get("msg").asText()).isEqualTo("missing"));
            assertThat(docs(ev).get("t.b").get("warn")).hasSize(1);
        }
    }

    @Test
    void dataGoesToTheShallowestPathsNoPackageOverlaps() throws Exception {
        var pkgs = List.of(List.of("posture", "kubernetes", "privileged"), List.of("posture", "kubernetes", "lib"));
        var at = OpaPolicyEngine.dataPaths((ObjectNode) json("{\"inventory\": {\"a\": 1}, \"posture\": {\"inventory\": {\"b\": 2}}}"), pkgs);
        assertThat(at.keySet()).containsExactly(List.of("inventory"), List.of("posture", "inventory"));
        assertThatThrownBy(() -> OpaPolicyEngine.dataPaths((ObjectNode) json("{\"posture\": {\"kubernetes\": 3}}"), pkgs))
                .hasMessageContaining("data.posture.kubernetes overlaps package posture.kubernetes");
        engine = OpaPolicyEngine.connect(options());
        List<PolicyModule> mods = List.of(new PolicyModule("p.rego", "package posture.kubernetes.p\n\ndeny contains x if some x in data.posture.inventory.names\n"));
        try (var loaded = engine.load(mods, json("{\"posture\": {\"inventory\": {\"names\": [\"n1\"]}}}"), EvalLimits.DEFAULT)) {
            assertThat(opa.requests()).extracting(OpaApiDouble.Request::line).contains("PUT /v1/data/posture/inventory");
            var ev = loaded.evaluator(loaded.packages("posture.kubernetes")).evaluate(json("{}"));
            assertThat(ev.results().get(0).deny()).extracting(JsonNode::asText).containsExactly("n1");
        }
    }

    @Test
    void anUnhealthyServerStopsBeforeAnythingIsUploaded() {
        opa.unhealthy("not all plugins in OK state");
        assertThatThrownBy(() -> OpaPolicyEngine.connect(options())).isInstanceOf(PolicyException.class)
                .hasMessageContaining("opa at " + opa.url() + " is not healthy")
                .hasMessageContaining("GET /health: HTTP 500").hasMessageContaining("not all plugins in OK state");
        assertThat(opa.requests()).extracting(OpaApiDouble.Request::line).containsOnly("GET /health");
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> OpaPolicyEngine.connect(OpaOptions.of(url).withRetries(2, Duration.ofMillis(10))))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("opa at http://127.0.0.1:" + port + ": cannot reach the server")
                .hasMessageContaining("GET /health");
    }

    @Test
    void theTokenIsSentOnEveryRequestAndNeverPrinted() throws Exception {
        opa.close();
        opa = OpaApiDouble.withToken("s3cr3t-t0ken");
        assertThatThrownBy(() -> OpaPolicyEngine.connect(options())).isInstanceOf(PolicyException.class)
                .hasMessageContaining("HTTP 401 unauthorized").hasMessageContaining("--opa-token");
        assertThatThrownBy(() -> OpaPolicyEngine.connect(options().withToken("wrong"))).isInstanceOf(PolicyException.class)
                .hasMessageNotContaining("wrong").hasMessageContaining("401");
        engine = OpaPolicyEngine.connect(options().withToken("s3cr3t-t0ken"));
        assertThat(engine.options().toString()).doesNotContain("s3cr3t");
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            assertThat(loaded.evaluator(loaded.packages("t")).evaluate(json("{\"n\": 2}")).errors()).isEmpty();
        }
        engine.close();
        List<OpaApiDouble.Request> ok = opa.requests().subList(2, opa.requests().size());
        assertThat(ok).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer s3cr3t-t0ken"));
        assertThat(opa.policyIds()).isEmpty();
    }

    @Test
    void withoutPushNoPolicyIsUploadedAndTheServersOwnAreEvaluated() throws Exception {
        // the server has the modules already (as from a bundle)
        try (OpaPolicyEngine loader = OpaPolicyEngine.connect(options())) {
            loader.push(MODULES);
            engine = OpaPolicyEngine.connect(options().withPush(false));
            long puts = opa.count("PUT", "/v1/policies");
            try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
                var ev = loaded.evaluator(loaded.packages("t")).evaluate(json("{\"name\": \"listed-one\"}"));
                assertThat(docs(ev).get("t.a").get("deny")).extracting(JsonNode::asText).containsExactly("listed");
            }
            engine.close();
            assertThat(opa.count("PUT", "/v1/policies")).isEqualTo(puts);
            assertThat(opa.count("DELETE", "/v1/policies")).isZero();
            assertThat(opa.policyIds()).hasSize(3);
        }
    }

    @Test
    void atMostConcurrencyRequestsAreInFlight() throws Exception {
        engine = OpaPolicyEngine.connect(options().withConcurrency(2));
        AtomicInteger active = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        opa.fault(r -> {
            if (r.method().equals("POST")) {
                most.accumulateAndGet(active.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                active.decrementAndGet();
            }
            return Optional.empty();
        });
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            var ev = loaded.evaluator(loaded.packages("t"));
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                Thread t = new Thread(() -> {
                    try {
                        assertThat(ev.evaluate(json("{\"n\": " + n + "}")).errors()).isEmpty();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void withoutPushAServerThatHasNoneOfThePackagesIsAnErrorNotACleanScan() throws Exception {
        engine = OpaPolicyEngine.connect(options().withPush(false));
        try (var loaded = engine.load(MODULES, inventory(), EvalLimits.DEFAULT)) {
            assertThatThrownBy(() -> loaded.evaluator(loaded.packages("t"))).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("opa at " + opa.url() + " has none of the packages under data.t")
                    .hasMessageContaining("posture policy bundle");
        }
        assertThat(opa.count("PUT", "/v1/policies")).isZero();
    }

    @Test
    void modulesUploadedOnceAreNotUploadedAgain() throws Exception {
        engine = OpaPolicyEngine.connect(options());
        engine.push(MODULES);
        long puts = opa.count("PUT", "/v1/policies");
        assertThat(puts).isEqualTo(3);
        engine.load(MODULES, null, EvalLimits.DEFAULT).close();
        assertThat(opa.count("PUT", "/v1/policies")).isEqualTo(puts);
    }
}
