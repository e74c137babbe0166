package dev.posture.report;

import dev.posture.model.Coverage;
import dev.posture.model.Surface;
import dev.posture.model.Theme;

import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.posture.report.ReportFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class TableReportWriterTest {

    private static String table(ReportOptions o, ScanResult r) {
        return new TableReportWriter(o).writeToString(r);
    }

    private static List<String> lines(String s) {
        return Arrays.asList(s.split("\n"));
    }

    private static String lineWith(String text, String needle) {
        return lines(text).stream().filter(l -> l.contains(needle)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + needle + " in\n" + text));
    }

    @Test
    void groupsFindingsUnderTargetHeadings() {
        String t = table(ReportOptions.defaults().withWidth(0), full());
        assertThat(t).doesNotContain("\u001b[");
        assertThat(t).contains("kubernetes k8s/deploy.yaml  scanned\n  CRITICAL  k8s-privileged ");
        assertThat(t).contains("image registry.example.com/broken:latest (registry)  failed\n"
                + "  error: pull failed: 401 Unauthorized\n");
        assertThat(t).contains("lambda " + ARN + " (aws:eu-west-1)  scanned\n");
        assertThat(t.indexOf("image " + IMAGE)).isLessThan(t.indexOf("kubernetes k8s/deploy.yaml"));
    }

    @Test
    void findingLineHasSeverityRuleResourceLocationMessage() {
        String t = table(ReportOptions.defaults().withWidth(0), full());
        String web = lineWith(t, "Deployment/shop/web");
        assertThat(web).startsWith("  CRITICAL  k8s-privileged").contains("Deployment/shop/web[web]")
                .contains("line 21").endsWith("Container \"web\" runs privileged [new]");
        String add = lineWith(t, "Build step 5");
        assertThat(add).startsWith("  INFO      image-add-instead-of-copy").contains("/app/config.yaml");
        String invoke = lineWith(t, "Principal *");
        assertThat(invoke).startsWith("  HIGH      lambda-public-invoke").contains("Orders");
        // the message column lines up
        assertThat(web.indexOf("Container")).isEqualTo(add.indexOf("Build step")).isEqualTo(invoke.indexOf("Principal"));
    }

    @Test
    void locationIsFileAndLineWhenTheFileIsNotTheTarget() {
        Target dir = Target.scanned(TargetType.KUBERNETES, "k8s", null);
        Finding f = Finding.builder(PRIVILEGED, dir.ref()).resource("Pod/a/b")
                .location(Location.of(BASE_DIR + "/k8s/pods/b.yaml", 7, 3)).message("m").build();
        String t = table(ReportOptions.defaults(), new ScanResult("posture", "1", "s", Instant.EPOCH, BASE_DIR,
                List.of(dir), List.of(f), List.of(), List.of()));
        assertThat(lineWith(t, "Pod/a/b")).contains("k8s/pods/b.yaml:7").doesNotContain(BASE_DIR);
    }

    @Test
    void suppressedFindingsAreHiddenAndCounted() {
        String t = table(ReportOptions.defaults(), full());
        assertThat(t).doesNotContain("Tracing is PassThrough");
        assertThat(t).contains("\n  1 suppressed\n");
        assertThat(t).contains("\n1 suppressed (hidden)\n");
    }

    @Test
    void verboseShowsSuppressedFindingsWithTheReason() {
        String t = table(ReportOptions.defaults().withVerbose(true).withWidth(0), full());
        assertThat(lineWith(t, "Tracing is PassThrough")).startsWith("  LOW       lambda-missing-tracing")
                .endsWith("[suppressed: tracing via OpenTelemetry]");
        assertThat(t).doesNotContain("(hidden)").contains("\n1 suppressed\n");
    }

    @Test
    void summaryTablePerSurfaceAndSeverity() {
        String t = table(ReportOptions.defaults(), full());
        assertThat(t).contains(
                "summary     critical   high  medium    low   info  total\n"
                        + "serverless         0      2       0      0      0      2\n"
                        + "container          2      0       1      0      1      4\n"
                        + "total              2      2       1      0      1      6\n");
        assertThat(t).contains("6 targets: 5 scanned, 1 failed\n\nposture");
        assertThat(t).contains("warning: ignore entry .postureignore:7 expired on 2026-01-01\n");
    }

    @Test
    void endsWithTheSideBySidePostureSummaryWithinOneHundredColumns() {
        ScanResult r = full().withCoverage(List.of(new Coverage(Surface.SERVERLESS, Theme.IAM),
                new Coverage(Surface.SERVERLESS, Theme.NETWORK), new Coverage(Surface.CONTAINER, Theme.IMAGE),
                new Coverage(Surface.CONTAINER, Theme.CLUSTER)));
        String t = table(ReportOptions.defaults(), r);
        String block = t.substring(t.indexOf("\nposture ") + 1);
        assertThat(block).startsWith("posture       serverless               container\n"
                + "theme         findings     owner       findings     owner\n"
                + "iam           1H           you         not scanned  you\n"
                + "secrets       not scanned  you         not scanned  you\n"
                + "code          not scanned  you         not scanned  you\n"
                + "image         not scanned  provider    1M           you\n"
                + "runtime       not scanned  provider    2C           you\n"
                + "cluster       not scanned  provider    clean        shared\n"
                + "network       1H           shared      not scanned  you\n"
                + "supply-chain  not scanned  you         1I           you\n"
                + "score         90/100                   78/100\n");
        assertThat(block.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(table(ReportOptions.defaults(), empty())).contains("score         not scanned              not scanned\n");
    }

    @Test
    void cleanTargetSaysSo() {
        String t = table(ReportOptions.defaults(), empty());
        assertThat(t).startsWith("kubernetes k8s/deploy.yaml  scanned, no findings\n");
        assertThat(t).contains("1 target: 1 scanned, 0 failed\n\nposture");
        assertThat(t).doesNotContain("suppressed");
    }

    @Test
    void staysWithinTheWidth() {
        for (int width : new int[] {60, 80, 100}) {
            String t = table(ReportOptions.defaults().withWidth(width), full());
            for (String line : lines(t)) {
                if (line.startsWith("  ") && !line.contains("error:")) { // finding lines and their continuations
                    assertThat(line.length()).as("width %d: %s", width, line).isLessThanOrEqualTo(width);
                }
            }
            assertThat(t).contains("Principal * may invoke Orders");
        }
    }

    @Test
    void longMessagesGoUnderTheRowAtFullWidth() {
        Target k = Target.scanned(TargetType.KUBERNETES, "a.yaml", null);
        Finding f = Finding.builder(PRIVILEGED, k.ref()).resource("Pod/x/y").location(Location.of("a.yaml", 2, 1))
                .message("word ".repeat(40).trim()).build();
        String t = table(ReportOptions.defaults().withWidth(100), new ScanResult("posture", "1", "s", Instant.EPOCH,
                null, List.of(k), List.of(f), List.of(), List.of()));
        List<String> ls = lines(t);
        int first = ls.indexOf(lineWith(t, "Pod/x/y"));
        assertThat(ls.get(first)).doesNotContain("word");
        assertThat(ls.get(first + 1)).startsWith(" ".repeat(12) + "word word");
        assertThat(ls.get(first + 1).length()).isGreaterThan(80).isLessThanOrEqualTo(100);
    }

    @Test
    void coloursWhenAsked() {
        String t = table(ReportOptions.defaults().withColor(true), full());
        assertThat(t).contains("\u001b[1;91mCRITICAL\u001b[0m");
        assertThat(t).contains("\u001b[31mHIGH    \u001b[0m");
        assertThat(t).contains("\u001b[33mMEDIUM  \u001b[0m");
        assertThat(t).contains("\u001b[90mINFO    \u001b[0m");
        assertThat(t).contains("\u001b[31merror: pull failed: 401 Unauthorized\u001b[0m");
        assertThat(t).contains("\u001b[1mkubernetes k8s/deploy.yaml\u001b[0m");
        assertThat(t).contains("\u001b[31m1 failed\u001b[0m");
        String verbose = table(ReportOptions.defaults().withColor(true).withVerbose(true), full());
        assertThat(verbose).contains("\u001b[34mLOW     \u001b[0m");
    }

    @Test
    void wordWrap() {
        assertThat(TableReportWriter.wrap("aaa bbb ccc", 7)).containsExactly("aaa bbb", "ccc");
        assertThat(TableReportWriter.wrap("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(TableReportWriter.truncateStart("/very/long/path.yaml", 10)).isEqualTo("…path.yaml").hasSize(10);
        assertThat(TableReportWriter.truncateEnd("Deployment/ns/name", 8)).isEqualTo("Deploym…");
    }

    @Test
    void controlCharactersFromInputsCannotDriveTheTerminal() {
        Target k = Target.failed(TargetType.KUBERNETES, "evil\u001b[2J.yaml", null, "bad \u001b]0;pwned\u0007 title");
        Finding f = Finding.builder(PRIVILEGED, k.ref()).resource("Pod/x/\u001b[31mred").message("msg \u009b6n").build();
        String t = table(ReportOptions.defaults(), new ScanResult("posture", "1", "s", Instant.EPOCH,
                null, List.of(k), List.of(f), List.of(), List.of()));
        assertThat(t).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b");
        assertThat(t).contains("evil\\u001b[2J.yaml").contains("\\u0007");
    }

    @Test
    void warningsAndSourcesFromIgnoreFilesAndInputsAreEscapedToo() {
        Target k = Target.scanned(TargetType.KUBERNETES, "k.yaml", "src\u001b[8m.yaml");
        String t = table(ReportOptions.defaults(), new ScanResult("posture", "1", "s", Instant.EPOCH,
                null, List.of(k), List.of(), List.of(),
                List.of("ignore entry at i.yaml:2 (rule x target \u001b]0;pwned\u0007\nfake line) expired")));
        assertThat(t).doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(t).contains("target \\u001b]0;pwned\\u0007\\u000afake line) expired")
                .contains("src\\u001b[8m.yaml");
    }

    @Test
    void oneEscapingHelper() {
        assertThat(TerminalText.escape("a\u001b[2Jb\u0007\n\r\u009b\u2028\u007fé✓")).isEqualTo(
                "a\\u001b[2Jb\\u0007\\u000a\\u000d\\u009b\\u2028\\u007fé✓");
        assertThat(TerminalText.escape("plain/path.yaml")).isEqualTo("plain/path.yaml");
        assertThat(TerminalText.escape(null)).isNull();
    }
}
