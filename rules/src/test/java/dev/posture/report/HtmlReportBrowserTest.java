package dev.posture.report;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.image.ImageAnalyzer;
import dev.posture.image.ImageOptions;
import dev.posture.kubernetes.KubernetesAnalyzer;
import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.serverless.aws.AwsOptions;
import dev.posture.triage.Triage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report in a real browser (Debian's chromium, headless, installed by .ci/run): the demo's report renders
 * its summary and findings, a view preset in the URL fragment hides what the filters exclude (the page's own
 * script runs), the console shows no error, and hostile text from a scanned input stays text.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
    private static final Pattern ROW = Pattern.compile("<tr data-fingerprint=\"([0-9a-f]+)\"[^>]*?( hidden=\"\")?>");

    private static ScanResult demo;

    @BeforeAll
    static void scanDemo() {
        Path repo = Path.of(System.getProperty("posture.root", "..")).toAbsolutePath().normalize();
        Scanner scanner = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled,
                AwsOptions.of(List.of(), null, List.of()), CLOCK), KubernetesAnalyzer.withBundledPolicies(),
                ImageAnalyzer.withBundledPolicies(ImageOptions.defaults())), 2, CLOCK, ProgressListener.NONE, "test");
        demo = scanner.scan(new ScanRequest(List.of(repo.resolve("fixtures/demo").toString()), List.of(), false, null,
                repo.toString()), new Triage(List.of(), null, LocalDate.of(2026, 12, 7)));
    }

    /** What chromium made of the page: the DOM after scripts ran, and what the console said. */
    record Page(String dom, String log) {
        List<String> visibleRows() {
            List<String> out = new ArrayList<>();
            Matcher m = ROW.matcher(dom);
            while (m.find()) {
                if (m.group(2) == null) {
                    out.add(m.group(1));
                }
            }
            return out;
        }

        int rows() {
            Matcher m = ROW.matcher(dom);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }
    }

    static Page open(Path html, String fragment, Path tmp) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(CHROMIUM), "needs chromium (apt-get install chromium)");
        Path profile = Files.createTempDirectory(tmp, "profile");
        Path log = tmp.resolve("chromium-" + System.nanoTime() + ".log");
        List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000", "--dump-dom",
                html.toUri() + (fragment.isEmpty() ? "" : "#" + fragment));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new Page(new String(dom, StandardCharsets.UTF_8), Files.readString(log));
    }

    private static Path write(ScanResult r, Path dir) throws IOException {
        Path f = dir.resolve("report.html");
        Files.writeString(f, new HtmlReportWriter().writeToString(r));
        return f;
    }

    @Test
    void theDemoReportRendersAndItsFiltersHideWhatTheyExclude(@TempDir Path tmp) throws Exception {
        Path html = write(demo, tmp);
        Page all = open(html, "", tmp);
        assertThat(all.dom()).contains("id=\"summary\"", "serverless", "container", "id=\"responsibility\"",
                "not scanned", "provider", "id=\"drilldown\"", "posture-demo/storefront:1.0");
        assertThat(all.rows()).isEqualTo(demo.findings().size()).isGreaterThan(40);
        assertThat(all.visibleRows()).hasSize(demo.findings().size());
        assertThat(all.dom()).contains(demo.findings().size() + " of " + demo.findings().size() + " finding(s) shown");
        assertThat(all.log()).doesNotContain("Uncaught", "CONSOLE(");

        long critical = demo.findings().stream().filter(f -> f.rule().severity() == Severity.CRITICAL).count();
        Page crit = open(html, "severity=critical", tmp);
        assertThat(crit.visibleRows()).hasSize((int) critical);

        long containerHigh = demo.findings().stream().filter(f -> f.rule().surface() == Surface.CONTAINER
                && f.rule().severity().atLeast(Severity.HIGH)).count();
        Page ch = open(html, "severity=high&surface=container", tmp);
        assertThat(ch.visibleRows()).hasSize((int) containerHigh).isNotEmpty();

        Page sudo = open(html, "q=sudo", tmp);
        assertThat(sudo.visibleRows()).isNotEmpty().hasSizeLessThan(demo.findings().size());
        assertThat(sudo.log()).doesNotContain("Uncaught");
    }

    @Test
    void hostileTextFromAnInputStaysText(@TempDir Path tmp) throws Exception {
        String evil = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
        Rule rule = new Rule("r1", "Title " + evil, Severity.HIGH, Surface.CONTAINER, Theme.IMAGE, "c1", evil, evil,
                List.of("javascript:alert(1)", "https://example.com/" + evil));
        TargetRef t = new TargetRef(TargetType.IMAGE, "img\"><script>x</script>");
        Finding f = Finding.builder(rule, t).resource(evil).path("/etc/" + evil).location(Location.ofFile(evil))
                .message("message " + evil).evidence(evil).build();
        ScanResult r = new ScanResult("posture", "test", "id", CLOCK.instant(), "/", List.of(
                Target.scanned(TargetType.IMAGE, t.name(), "x")), List.of(f), List.of(), List.of());
        String html = new HtmlReportWriter().writeToString(r);
        assertThat(html).doesNotContain("<img src=x", "<script>document", "href=\"javascript:");
        Page page = open(write(r, tmp), "", tmp);
        assertThat(page.dom()).doesNotContain("pwned</title>").contains("<title>posture report</title>");
        assertThat(page.visibleRows()).hasSize(1);
    }
}
