package dev.posture.report;

import dev.posture.model.Coverage;
import dev.posture.model.Finding;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownReportWriterTest {

    static final Rule RULE = new Rule("k8s-privileged", "Privileged", Severity.HIGH, Surface.CONTAINER, Theme.RUNTIME,
            "privileged", null, null, null);

    @Test
    void hostileTextCannotBreakTheTableOrInjectMarkupOrMentions() {
        String hostile = "a | b `code` <img src=x onerror=alert(1)> [link](http://evil) @admin **bold**\n"
                + "| forged | row |\r\u001b[31m";
        Target t = Target.scanned(TargetType.KUBERNETES, "k8s/x|y`.yaml", null);
        Finding f = Finding.builder(RULE, t.ref()).resource("Pod/a/<b>").container("c|d").logicalPath("p")
                .message(hostile).build();
        ScanResult r = new ScanResult("posture", "1", "s", Instant.EPOCH, null, List.of(t), List.of(f), List.of(),
                List.of(), List.of(), List.of(new Coverage(Surface.CONTAINER, Theme.RUNTIME)));
        String md = new MarkdownReportWriter().writeToString(r);

        // every table row has exactly the cells it should: escaped pipes do not split
        for (String line : md.split("\n")) {
            if (line.startsWith("| k8s")) {
                assertThat(line.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(6);
            }
        }
        assertThat(md).doesNotContain("<img", "<b>", "`code`", "@admin", "\u001b", "\r", "](http");
        assertThat(md).contains("&lt;img src=x onerror=alert\\(1\\)&gt;", "\\`code\\`", "&#64;admin", "\\*\\*bold\\*\\*",
                "\\u001b", "\\u000a\\| forged \\| row \\|");
        // the hostile message never starts a line of its own
        assertThat(md.lines().filter(l -> l.contains("forged")))
                .hasSize(2).allSatisfy(l -> assertThat(l).matches("^(\\| k8s-privileged|1\\. ).*"));
    }

    @Test
    void sideBySideSummaryTopRisksAndCappedFindings() {
        Target t = Target.scanned(TargetType.KUBERNETES, "k8s/app.yaml", null);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            findings.add(Finding.builder(RULE, t.ref()).resource("Pod/a/p" + i).logicalPath("p" + i)
                    .message("m" + i).build());
        }
        ScanResult r = new ScanResult("posture", "1", "s", Instant.EPOCH, null, List.of(t), findings, List.of(),
                List.of(), List.of(), List.of(new Coverage(Surface.CONTAINER, Theme.RUNTIME),
                new Coverage(Surface.CONTAINER, Theme.IMAGE)));
        String md = new MarkdownReportWriter().writeToString(r);
        assertThat(md).contains("| theme | serverless | who secures it | container | who secures it |",
                "| image | _not scanned_ | provider | clean | you |",
                "| runtime | _not scanned_ | provider | 60H | you |",
                "| **score** | **not scanned** | | **0/100** | |",
                "### Top risks", "… and 10 more", "vulnerabilities: not scanned");
        assertThat(md.lines().filter(l -> l.startsWith("| k8s-privileged"))).hasSize(MarkdownReportWriter.MAX_FINDINGS);
    }
}
