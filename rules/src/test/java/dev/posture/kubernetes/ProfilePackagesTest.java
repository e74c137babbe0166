package dev.posture.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.ParsedDocument;
import dev.posture.policy.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.*;
import java.util.*;

@EnabledIfSystemProperty(named = "profile.dir", matches = ".+")
class ProfilePackagesTest {
    @Test
    void profile() throws Exception {
        List<JsonNode> objs = new ArrayList<>();
        try (var s = Files.list(Path.of(System.getProperty("profile.dir")))) {
            for (Path p : s.sorted().toList()) {
                for (ParsedDocument d : DocumentParser.parseDocuments(p.toString(), Files.readString(p), DocumentParser.YamlSchema.KUBERNETES).documents()) {
                    if (d.root().path("kind").asText().equals("List")) d.root().get("items").forEach(objs::add); else objs.add(d.root());
                }
            }
        }
        ObjectNode inv = JsonNodeFactory.instance.objectNode();
        for (JsonNode o : objs) {
            String ns = o.path("metadata").path("namespace").asText("default");
            inv.with(ns).with(o.get("kind").asText()).set(o.path("metadata").path("name").asText(), o);
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode(); data.putObject("posture").set("inventory", inv);
        var loaded = new EmbeddedRegoEngine().load(PolicySources.bundled("policies/kubernetes"), data, EvalLimits.DEFAULT);
        List<RulePackage> pkgs = loaded.packages("posture.kubernetes");
        var all = loaded.evaluator(pkgs);
        int rounds = Integer.getInteger("profile.rounds", 3);
        for (int w = 0; w < rounds; w++) for (JsonNode o : objs) all.evaluate(o);
        if (Boolean.getBoolean("profile.allOnly")) return;
        long t = System.nanoTime();
        for (JsonNode o : objs) all.evaluate(o);
        System.out.printf("ALL %d packages: %.1f us/object%n", pkgs.size(), (System.nanoTime() - t) / 1000.0 / objs.size());
        Map<String, Double> cost = new TreeMap<>();
        for (RulePackage p : pkgs) {
            var one = loaded.evaluator(List.of(p));
            for (JsonNode o : objs) one.evaluate(o);
            long s = System.nanoTime();
            for (JsonNode o : objs) one.evaluate(o);
            cost.put(p.path(), (System.nanoTime() - s) / 1000.0 / objs.size());
        }
        cost.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf("%8.1f us  %s%n", e.getValue(), e.getKey()));
        var none = loaded.evaluator(List.of());
        long s = System.nanoTime();
        for (JsonNode o : objs) none.evaluate(o);
        System.out.printf("empty query (input conversion): %.1f us%n", (System.nanoTime() - s) / 1000.0 / objs.size());
    }
}
