package dev.posture.controls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.ImageAnalyzer;
import dev.posture.model.Theme;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicyEngine;
import dev.posture.policy.PolicyRules;
import dev.posture.policy.PolicySources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Examiner-style conformance of the image controls: every document under
 * {@code fixtures/controls/image/<control>/positive} (an image's policy input, docs/policies.md) must make the bundled
 * image policies report that control; no document under {@code …/negative} may. The documents stand for images so
 * that every definition of CONTROLS.md is checked without building an image per case; the analyzer's own tests
 * build real images.
 */
class ImageControlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The "Container images" section of CONTROLS.md: each has positive and negative fixtures. */
    static final List<String> IMAGE_CONTROLS = List.of("image-run-as-root", "secret-in-env", "secret-in-history",
            "secret-file", "deleted-secret-in-layer", "setuid-file", "world-writable", "empty-password",
            "duplicate-uid", "extra-root-account", "no-healthcheck", "add-instead-of-copy", "sudo-in-image",
            "curl-pipe-shell", "apt-cache-not-cleaned", "update-without-install", "sensitive-port",
            "sensitive-volume", "unnecessary-files", "image-latest-tag", "image-stale");
    private static PolicyEngine.LoadedPolicies loaded;
    private static PolicyRules rules;
    private static PolicyEngine.PackageEvaluator evaluator;

    @BeforeAll
    static void load() throws Exception {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("config").put("image_max_age_days", 365);
        loaded = new EmbeddedRegoEngine().load(PolicySources.bundled("policies/image"), data, EvalLimits.DEFAULT);
        rules = PolicyRules.of(loaded.packages(ImageAnalyzer.PACKAGE_PREFIX), "img-", Theme.IMAGE, w -> {
            throw new AssertionError(w);
        });
        evaluator = loaded.evaluator(rules.packages());
    }

    @AfterAll
    static void close() {
        loaded.close();
    }

    @TestFactory
    Stream<DynamicTest> everyImageControlFixture() throws IOException {
        Path base = Path.of(System.getProperty("posture.root", "..")).resolve("fixtures/controls/image");
        assertThat(base).isDirectory();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> controls = Files.list(base)) {
            for (Path c : controls.sorted().toList()) {
                String control = c.getFileName().toString();
                for (String kind : List.of("positive", "negative")) {
                    Path dir = c.resolve(kind);
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                            tests.add(DynamicTest.dynamicTest(control + "/" + kind + "/" + f.getFileName(), () -> {
                                Set<String> reported = controls(JSON.readTree(f.toFile()));
                                if (kind.equals("positive")) {
                                    assertThat(reported).as(f.toString()).contains(control);
                                } else {
                                    assertThat(reported).as(f.toString()).doesNotContain(control);
                                }
                            }));
                        }
                    }
                }
            }
        }
        assertThat(tests).as("fixtures under " + base).isNotEmpty();
        try (Stream<Path> controls = Files.list(base)) {
            assertThat(controls.map(p -> p.getFileName().toString())).containsAll(IMAGE_CONTROLS);
        }
        return tests.stream();
    }

    private static Set<String> controls(JsonNode input) {
        PolicyEngine.Evaluation ev = evaluator.evaluate(input);
        assertThat(ev.errors()).isEmpty();
        Set<String> out = new TreeSet<>();
        for (PolicyEngine.PackageResult r : ev.results()) {
            if (!r.deny().isEmpty()) {
                out.add(rules.rule(r.pkg()).control());
            }
        }
        return out;
    }
}
