package dev.posture.report;

import dev.posture.model.Coverage;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Suppression;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostureTest {

    static final Target FN = Target.scanned(TargetType.LAMBDA, "template.yaml", null);
    static final Target K8S = Target.scanned(TargetType.KUBERNETES, "k8s/app.yaml", null);

    static Rule rule(String id, Severity s, Surface surface, Theme theme) {
        return new Rule(id, id, s, surface, theme, id, null, null, null);
    }

    static ScanResult result(List<Target> targets, List<Finding> findings, List<FunctionSummary> summaries,
                             List<Coverage> coverage) {
        return new ScanResult("posture", "1", "s", Instant.EPOCH, null, targets, findings, summaries, List.of(),
                List.of(), coverage);
    }

    @Test
    void aThemeNoAnalyzerCoveredIsNotScannedNeverClean() {
        Posture p = Posture.of(result(List.of(FN), List.of(), List.of(),
                List.of(new Coverage(Surface.SERVERLESS, Theme.IAM))));
        Posture.SurfacePosture s = p.surface(Surface.SERVERLESS);
        assertThat(s.theme(Theme.IAM).status()).isEqualTo(Posture.Status.CLEAN);
        assertThat(s.theme(Theme.RUNTIME).status()).isEqualTo(Posture.Status.NOT_SCANNED);
        assertThat(s.scanned()).isTrue();
        assertThat(s.score()).isEqualTo(100.0);
        Posture.SurfacePosture c = p.surface(Surface.CONTAINER);
        assertThat(c.scanned()).isFalse();
        assertThat(c.score()).isNull();
        assertThat(c.themes()).allSatisfy(t -> assertThat(t.status()).isEqualTo(Posture.Status.NOT_SCANNED));
    }

    @Test
    void withoutCoverageEverythingIsNotScanned() {
        Posture p = Posture.of(result(List.of(FN), List.of(), List.of(), List.of()));
        for (Posture.SurfacePosture s : p.surfaces()) {
            assertThat(s.scanned()).isFalse();
            assertThat(s.themes()).allSatisfy(t -> assertThat(t.status()).isEqualTo(Posture.Status.NOT_SCANNED));
        }
    }

    @Test
    void suppressedFindingsAreNotCountedAndTheScoreFollowsTheFormula() {
        Rule crit = rule("c", Severity.CRITICAL, Surface.SERVERLESS, Theme.IAM);
        Rule high = rule("h", Severity.HIGH, Surface.SERVERLESS, Theme.IAM);
        Rule med = rule("m", Severity.MEDIUM, Surface.SERVERLESS, Theme.NETWORK);
        Rule low = rule("l", Severity.LOW, Surface.SERVERLESS, Theme.RUNTIME);
        Rule info = rule("i", Severity.INFO, Surface.SERVERLESS, Theme.RUNTIME);
        List<Finding> findings = List.of(
                f(crit, "F1"), f(high, "F1"), f(med, "F2"), f(low, "F2"), f(info, "F2"),
                f(crit, "F3").withSuppression(new Suppression("accepted", null, "x:1", "c", null, null, null, null)));
        Posture p = Posture.of(result(List.of(FN), findings, List.of(),
                List.of(new Coverage(Surface.SERVERLESS, Theme.IAM))));
        Posture.SurfacePosture s = p.surface(Surface.SERVERLESS);
        assertThat(s.counts()).isEqualTo(new Posture.Counts(1, 1, 1, 1, 1));
        assertThat(s.theme(Theme.IAM).counts()).isEqualTo(new Posture.Counts(1, 1, 0, 0, 0));
        assertThat(s.theme(Theme.IAM).status()).isEqualTo(Posture.Status.FINDINGS);
        // 100 - (10 + 5 + 2 + 0.5) = 82.5; info counts nothing
        assertThat(s.score()).isEqualTo(82.5);
        assertThat(Posture.score(new Posture.Counts(11, 0, 0, 0, 0))).isEqualTo(0.0);
        assertThat(Posture.score(new Posture.Counts(0, 0, 0, 3, 9))).isEqualTo(98.5);
        assertThat(Posture.scoreText(82.5)).isEqualTo("82.5");
        assertThat(Posture.scoreText(100.0)).isEqualTo("100");
    }

    @Test
    void topRisksHighestSeverityFirstThenFingerprintAndCapped() {
        Rule crit = rule("c", Severity.CRITICAL, Surface.CONTAINER, Theme.CLUSTER);
        Rule high = rule("h", Severity.HIGH, Surface.CONTAINER, Theme.CLUSTER);
        Rule info = rule("i", Severity.INFO, Surface.CONTAINER, Theme.CLUSTER);
        List<Finding> findings = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            findings.add(k(high, "Deployment/a/w" + i, null));
        }
        findings.add(k(info, "Deployment/a/x", null));
        findings.add(k(crit, "Deployment/a/z", null));
        findings.add(k(crit, "Deployment/a/y", null));
        Posture p = Posture.of(result(List.of(K8S), findings, List.of(), List.of()));
        List<Finding> top = p.topRisks();
        assertThat(top).hasSize(5);
        assertThat(top.get(0).rule().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(top.get(1).rule().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(top.get(0).fingerprint().compareTo(top.get(1).fingerprint())).isNegative();
        assertThat(top.subList(2, 5)).allSatisfy(f -> assertThat(f.rule().severity()).isEqualTo(Severity.HIGH));
        assertThat(top.get(2).fingerprint().compareTo(top.get(3).fingerprint())).isNegative();
        List<Finding> themeTop = p.surface(Surface.CONTAINER).theme(Theme.CLUSTER).topRisks();
        assertThat(themeTop).containsExactlyElementsOf(top.subList(0, 3));
        // findings prove a look, even without coverage
        assertThat(p.surface(Surface.CONTAINER).theme(Theme.CLUSTER).status()).isEqualTo(Posture.Status.FINDINGS);
    }

    @Test
    void responsibilityMatrixAndSupplyChainNote() {
        Posture p = Posture.of(result(List.of(), List.of(), List.of(), List.of(
                new Coverage(Surface.CONTAINER, Theme.SUPPLY_CHAIN))));
        assertThat(p.surface(Surface.SERVERLESS).theme(Theme.IMAGE).responsibility().owner())
                .isEqualTo(SharedResponsibility.Owner.PROVIDER);
        assertThat(p.surface(Surface.CONTAINER).theme(Theme.IMAGE).responsibility().owner())
                .isEqualTo(SharedResponsibility.Owner.YOU);
        assertThat(p.surface(Surface.SERVERLESS).theme(Theme.NETWORK).responsibility().owner())
                .isEqualTo(SharedResponsibility.Owner.SHARED);
        assertThat(p.surface(Surface.CONTAINER).theme(Theme.CLUSTER).responsibility().owner())
                .isEqualTo(SharedResponsibility.Owner.SHARED);
        for (Surface s : Surface.values()) {
            for (Theme t : Theme.values()) {
                assertThat(SharedResponsibility.of(s, t).note()).isNotBlank();
            }
        }
        assertThat(p.surface(Surface.SERVERLESS).theme(Theme.IMAGE).notes()).isEmpty();
        FunctionSummary img = new FunctionSummary(FN.ref(), "Img", "R", false, 1, null, null, "unknown",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1");
        assertThat(Posture.of(result(List.of(FN), List.of(), List.of(img), List.of()))
                .surface(Surface.SERVERLESS).theme(Theme.IMAGE).notes())
                .singleElement().asString().startsWith("1 function(s) deploy as container images");
        Posture.ThemePosture sc = p.surface(Surface.CONTAINER).theme(Theme.SUPPLY_CHAIN);
        assertThat(sc.status()).isEqualTo(Posture.Status.CLEAN);
        assertThat(sc.notes()).contains(Posture.VULNERABILITIES_NOT_SCANNED);
    }

    @Test
    void drillDownFunctionRolePoliciesAndWorkloadContainersCountEachFindingOncePerLevel() {
        Rule iam = rule("wildcard-admin", Severity.CRITICAL, Surface.SERVERLESS, Theme.IAM);
        Rule net = rule("public-invoke", Severity.HIGH, Surface.SERVERLESS, Theme.NETWORK);
        Rule priv = rule("k8s-privileged", Severity.CRITICAL, Surface.CONTAINER, Theme.CLUSTER);
        Rule host = rule("k8s-host-network", Severity.HIGH, Surface.CONTAINER, Theme.NETWORK);
        Finding a = Finding.builder(iam, FN.ref()).resource("Orders")
                .logicalLocation("function Orders → role OrdersRole → inline policy ddb → statement 1")
                .logicalPath("a").message("admin").build();
        Finding b = Finding.builder(iam, FN.ref()).resource("Orders")
                .logicalLocation("function Orders → role OrdersRole → AWS managed policy Admin → statement 1")
                .logicalPath("b").message("admin").build();
        Finding c = Finding.builder(net, FN.ref()).resource("Orders")
                .logicalLocation("function Orders → resource policy → statement 1").logicalPath("c").message("public").build();
        Finding d = k(priv, "Deployment/shop/web", "web");
        Finding e = k(host, "Deployment/shop/web", null);
        FunctionSummary orders = new FunctionSummary(FN.ref(), "Orders", "OrdersRole", true, 1, null, null, "unknown", null);
        FunctionSummary health = new FunctionSummary(FN.ref(), "Health", "HealthRole", false, 1, null, null, "unknown", null);
        Posture p = Posture.of(result(List.of(K8S, FN), List.of(a, b, c, d, e), List.of(orders, health), List.of()));

        Posture.TargetDrill k = p.targets().get(0);
        assertThat(k.counts().total()).isEqualTo(2);
        Posture.Node web = k.nodes().get(0);
        assertThat(web.kind()).isEqualTo("workload");
        assertThat(web.counts().total()).isEqualTo(2);
        assertThat(web.children()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo("container");
            assertThat(n.name()).isEqualTo("web");
            assertThat(n.counts()).isEqualTo(new Posture.Counts(1, 0, 0, 0, 0));
        });

        Posture.TargetDrill l = p.targets().get(1);
        assertThat(l.counts().total()).isEqualTo(3);
        assertThat(l.nodes()).extracting(Posture.Node::name).containsExactly("Health", "Orders");
        assertThat(l.nodes().get(0).counts().total()).isZero();
        assertThat(l.nodes().get(0).children()).extracting(Posture.Node::name).containsExactly("HealthRole");
        Posture.Node fn = l.nodes().get(1);
        assertThat(fn.counts()).isEqualTo(new Posture.Counts(2, 1, 0, 0, 0));
        Posture.Node role = fn.children().get(0);
        assertThat(role.kind()).isEqualTo("role");
        assertThat(role.counts().total()).isEqualTo(2);
        assertThat(role.children()).extracting(Posture.Node::name)
                .containsExactly("AWS managed policy Admin", "inline policy ddb");
        assertThat(role.children()).allSatisfy(n -> assertThat(n.counts().total()).isEqualTo(1));
    }

    @Test
    void imageDrillDownGoesThroughTheLayerThatHoldsTheFile() {
        Target img = Target.scanned(TargetType.IMAGE, "shop:1", null);
        Rule secret = rule("image-secret-file", Severity.CRITICAL, Surface.CONTAINER, Theme.SECRETS);
        Rule suid = rule("image-setuid", Severity.MEDIUM, Surface.CONTAINER, Theme.IMAGE);
        Finding a = Finding.builder(secret, img.ref()).resource("shop:1").path("/root/.ssh/id_rsa")
                .logicalLocation("shop:1 → layer 1 → /root/.ssh/id_rsa").logicalPath("a").message("key").build();
        Finding b = Finding.builder(suid, img.ref()).resource("shop:1").path("/usr/bin/sudo")
                .logicalLocation("shop:1 → layer 0 → /usr/bin/sudo").logicalPath("b").message("suid").build();
        Finding c = Finding.builder(suid, img.ref()).resource("shop:1").path("/var/cache/apt")
                .logicalLocation("shop:1 → /var/cache/apt").logicalPath("c").message("cache").build();
        Posture.TargetDrill t = Posture.of(result(List.of(img), List.of(a, b, c), List.of(), List.of())).targets().get(0);
        assertThat(t.nodes()).extracting(Posture.Node::kind, Posture.Node::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("file", "/var/cache/apt"),
                org.assertj.core.groups.Tuple.tuple("layer", "0"),
                org.assertj.core.groups.Tuple.tuple("layer", "1"));
        assertThat(t.nodes().get(2).counts()).isEqualTo(new Posture.Counts(1, 0, 0, 0, 0));
        assertThat(t.nodes().get(2).children()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo("file");
            assertThat(n.name()).isEqualTo("/root/.ssh/id_rsa");
        });
    }

    private static Finding f(Rule r, String fn) {
        return Finding.builder(r, FN.ref()).resource(fn).logicalPath(r.id() + fn).message(r.id()).build();
    }

    private static Finding k(Rule r, String resource, String container) {
        return Finding.builder(r, K8S.ref()).resource(resource).container(container).logicalPath(r.id() + resource)
                .message(r.id()).build();
    }
}
