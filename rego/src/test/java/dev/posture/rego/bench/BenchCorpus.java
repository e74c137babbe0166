package dev.posture.rego.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.rego.PolicySet;
import dev.posture.rego.RegoVersion;
import dev.posture.rego.value.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Policies and inputs of the Rego benchmarks (test resources under {@code bench/}): 12 Gatekeeper-style v0
 * templates, 19 Trivy-style v1 checks plus their {@code lib.kubernetes}, one Deployment, and {@code scale.rego}.
 */
public final class BenchCorpus {
    public static final List<String> GATEKEEPER = List.of("privileged", "hostfilesystem", "capabilities", "hostnamespace",
            "hostnetwork", "containerlimits", "disallowedtags", "privilegeescalation", "readonlyrootfs", "seccomp",
            "requiredlabels", "allowedrepos");
    public static final List<String> TRIVY = List.of("ksv001", "ksv003", "ksv005", "ksv008", "ksv009", "ksv010", "ksv011",
            "ksv012", "ksv013", "ksv014", "ksv015", "ksv016", "ksv017", "ksv018", "ksv020", "ksv022", "ksv023", "ksv030",
            "ksvsecret");
    public static final String TRIVY_LIB = "lib_kubernetes";

    /** A module source with its Rego version. */
    public record Src(String name, String text, RegoVersion version) {
    }

    private BenchCorpus() {
    }

    public static String resource(String path) {
        try (InputStream in = BenchCorpus.class.getResourceAsStream("/bench/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource bench/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rule set of scenario 2: 12 Gatekeeper templates, 19 Trivy checks and the Trivy library. */
    public static List<Src> ruleSet() {
        List<Src> out = new ArrayList<>();
        for (String g : GATEKEEPER) {
            out.add(new Src("gatekeeper/" + g + ".rego", resource("gatekeeper/" + g + ".rego"), RegoVersion.V0));
        }
        out.add(new Src("trivy/" + TRIVY_LIB + ".rego", resource("trivy/" + TRIVY_LIB + ".rego"), RegoVersion.V1));
        for (String t : TRIVY) {
            out.add(new Src("trivy/" + t + ".rego", resource("trivy/" + t + ".rego"), RegoVersion.V1));
        }
        return out;
    }

    /**
     * {@code n} modules for scenario 1: the Trivy library plus copies of the 31 rule modules, each copy in its own
     * package ({@code gen.gkNN.*}, {@code gen.trivyNN.*}) with its own check id and messages, so that no two modules
     * share a package. Gatekeeper copies are v0, Trivy copies v1.
     */
    public static List<Src> modules(int n) {
        List<Src> base = ruleSet();
        List<Src> out = new ArrayList<>(n);
        out.add(base.stream().filter(s -> s.name().contains(TRIVY_LIB)).findFirst().orElseThrow());
        List<Src> rules = base.stream().filter(s -> !s.name().contains(TRIVY_LIB)).toList();
        for (int i = 0; out.size() < n; i++) {
            Src s = rules.get(i % rules.size());
            String text = s.text()
                    .replace("package bench.gatekeeper.", "package gen.gk" + i + ".")
                    .replace("package builtin.kubernetes.", "package gen.trivy" + i + ".")
                    .replaceAll("(#   id: [A-Z]+[0-9]*)", "$1-" + i)
                    .replace("is not allowed", "is not allowed (policy " + i + ")")
                    .replace("should ", "should (policy " + i + ") ");
            out.add(new Src("gen/" + i + "/" + s.name(), text, s.version()));
        }
        return out;
    }

    public static PolicySet build(List<Src> sources) {
        PolicySet.Builder b = PolicySet.builder();
        for (Src s : sources) {
            b.module(s.name(), s.text(), s.version());
        }
        return b.build();
    }

    public static JsonNode deployment() {
        return parse(resource("deployment.json"));
    }

    /** A Gatekeeper admission review of the Deployment with the parameters of all templates. */
    public static JsonNode gatekeeperInput() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("review").set("object", deployment());
        root.set("parameters", parse(resource("gatekeeper-parameters.json")));
        return root;
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
