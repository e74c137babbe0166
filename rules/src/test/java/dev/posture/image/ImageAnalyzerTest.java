package dev.posture.image;

import dev.posture.model.Finding;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.EvalLimits;
import dev.posture.policy.PolicySources;
import dev.posture.scan.ScanContext;
import dev.posture.source.Input;
import dev.posture.source.InputKind;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The analyzer over the demo image: facts → the bundled policies → findings, one target. */
class ImageAnalyzerTest {
    private final List<Target> targets = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private ScanContext context() {
        return new ScanContext(targets::add, findings::add, warnings::add, s -> {
        }, Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC), 2);
    }

    private ImageAnalyzer analyzer(ImageAnalyzer.SourceOpener opener) {
        return new ImageAnalyzer(() -> PolicySources.bundled("policies/image"), new EmbeddedRegoEngine(),
                EvalLimits.DEFAULT, ImageOptions.defaults(), opener);
    }

    @Test
    void theDemoImageShowsEveryFlawItWasBuiltWith() {
        ImageAnalyzer a = analyzer((t, p, o) -> new DemoImageFactsTest.StreamedArchive());
        a.analyze(List.of(new Input("storefront.tar", DemoImageFactsTest.DEMO, InputKind.IMAGE_ARCHIVE, List.of())),
                context());
        assertThat(targets).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(TargetStatus.SCANNED));
        Set<String> controls = findings.stream().map(f -> f.rule().control()).collect(Collectors.toSet());
        assertThat(controls).contains("image-run-as-root", "secret-in-env", "secret-in-history", "secret-file",
                "deleted-secret-in-layer", "setuid-file", "world-writable", "empty-password", "duplicate-uid",
                "extra-root-account", "no-healthcheck", "sudo-in-image", "curl-pipe-shell", "apt-cache-not-cleaned",
                "update-without-install", "sensitive-port", "unnecessary-files", "image-stale");
        // the archive's tag is not latest; its base layer's ADD is exempt
        assertThat(controls).doesNotContain("image-latest-tag", "add-instead-of-copy");
        assertThat(findings).filteredOn(f -> f.rule().control().equals("setuid-file")).extracting(Finding::path)
                .containsExactlyInAnyOrder("/usr/local/bin/healthcheck", "/usr/bin/sudo");
        assertThat(findings).filteredOn(f -> f.rule().control().equals("deleted-secret-in-layer"))
                .extracting(Finding::path).containsExactly("/root/.aws/credentials");
        // the drill-down image → layer → file: each file finding names the layer that holds the file
        assertThat(findings).filteredOn(f -> f.rule().control().equals("setuid-file"))
                .extracting(Finding::logicalLocation).containsExactlyInAnyOrder(
                        "posture-demo/storefront:1.0 → layer 0 → /usr/local/bin/healthcheck",
                        "posture-demo/storefront:1.0 → layer 0 → /usr/bin/sudo");
        assertThat(findings).filteredOn(f -> f.rule().control().equals("secret-file"))
                .extracting(Finding::logicalLocation).allMatch(l -> l.contains(" → layer 1 → "));
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.resource()).isEqualTo("posture-demo/storefront:1.0");
            assertThat(f.location().file()).isEqualTo("storefront.tar");
        });
        // no secret of the image is ever printed whole
        for (Finding f : findings) {
            String text = f.message() + " " + f.evidence();
            assertThat(text).doesNotContain("sk_live_51DemoOnlyNotARealKey0000", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "ghp_DemoOnlyNotARealToken0000000000000000", "demo-not-a-real-password-123");
        }
        // stable identities: one fingerprint per finding
        assertThat(findings).extracting(Finding::fingerprint).doesNotHaveDuplicates();
    }

    @Test
    void anImageThatCannotBeReadFailsItsTargetWithTheReason() {
        ImageAnalyzer a = analyzer((t, p, o) -> {
            throw new dev.posture.image.source.ImageException("registry localhost:1/x:1: cannot connect");
        });
        a.analyze(List.of(new Input("localhost:1/x:1", null, InputKind.IMAGE_REF, List.of())), context());
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(t.error()).isEqualTo("registry localhost:1/x:1: cannot connect");
            assertThat(t.source()).isEqualTo("registry");
        });
        assertThat(findings).isEmpty();
    }
}
