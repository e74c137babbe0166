package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetType;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JunitReportWriterTest {

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theFixtureReportParsesWithOneSuitePerTargetAndOneCasePerRuleAndTarget() throws Exception {
        String xml = new JunitReportWriter().writeToString(ReportFixtures.full());
        Document d = parse(xml);
        Element root = d.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(ReportFixtures.full().targets().size());
        // image: 2 rules with unsuppressed findings; broken: skipped; k8s twice: privileged; lambda: public
        // invoke failing + tracing (suppressed only, passing); policy: admin
        assertThat(root.getAttribute("tests")).isEqualTo("8");
        assertThat(root.getAttribute("failures")).isEqualTo("6");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
        assertThat(d.getElementsByTagName("failure").getLength()).isEqualTo(6);
        Element lambda = suite(d, "lambda " + ReportFixtures.ARN);
        assertThat(lambda.getAttribute("tests")).isEqualTo("2");
        assertThat(lambda.getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) lambda.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("high: 1 finding");
        assertThat(failure.getTextContent()).contains("Principal * may invoke Orders",
                "function Orders → resource policy → statement 1");
        Element testcase = (Element) failure.getParentNode();
        assertThat(testcase.getAttribute("classname")).isEqualTo(ReportFixtures.ARN);
        assertThat(testcase.getAttribute("name")).isEqualTo("lambda-public-invoke");
        Element broken = suite(d, "image registry.example.com/broken:latest");
        assertThat(((Element) broken.getElementsByTagName("skipped").item(0)).getAttribute("message"))
                .contains("401 Unauthorized");
    }

    @Test
    void everyRuleCheckedOnATargetsTypeIsATestcaseAndPassesWithoutFindings() throws Exception {
        ScanResult f = ReportFixtures.full();
        ScanResult withChecks = new ScanResult(f.toolName(), f.toolVersion(), f.scanId(), f.startedAt(), f.baseDir(),
                f.targets(), f.findings(), f.summaries(), f.warnings(), f.unrecognised(), f.shard(), f.coverage(),
                java.util.Map.of(TargetType.LAMBDA, List.of("lambda-missing-tracing", "lambda-public-invoke", "lambda-dlq"),
                        TargetType.IMAGE, List.of("image-run-as-root")));
        Document d = parse(new JunitReportWriter().writeToString(withChecks));
        Element lambda = suite(d, "lambda " + ReportFixtures.ARN);
        assertThat(lambda.getAttribute("tests")).isEqualTo("3"); // dlq: checked, no finding: passes
        assertThat(lambda.getAttribute("failures")).isEqualTo("1");
        NodeList cases = lambda.getElementsByTagName("testcase");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            names.add(c.getAttribute("name"));
            if (c.getAttribute("name").equals("lambda-dlq")) {
                assertThat(c.getChildNodes().getLength()).as("a passing testcase is empty").isZero();
            }
        }
        assertThat(names).containsExactly("lambda-dlq", "lambda-missing-tracing", "lambda-public-invoke");
        // a target that failed checked nothing: only its skipped scan case, not the image rules
        Element broken = suite(d, "image registry.example.com/broken:latest");
        assertThat(broken.getAttribute("tests")).isEqualTo("1");
        assertThat(broken.getElementsByTagName("skipped").getLength()).isEqualTo(1);
        Element root = d.getDocumentElement();
        assertThat(Integer.parseInt(root.getAttribute("tests"))).isGreaterThan(8);
    }

    @Test
    void hostileTextStaysWellFormed() throws Exception {
        Rule rule = new Rule("r<&>\"", "t", Severity.CRITICAL, Surface.CONTAINER, Theme.IMAGE, "c", null, null, null);
        Target t = Target.scanned(TargetType.IMAGE, "img\"<&]]>\u0001", null);
        Finding f = Finding.builder(rule, t.ref()).logicalPath("p")
                .message("]]></failure><injected/> \u0000 \u001b[2J \ud800 & done").build();
        ScanResult r = new ScanResult("posture", "1", "s", Instant.EPOCH, null, List.of(t), List.of(f), List.of(),
                List.of());
        String xml = new JunitReportWriter().writeToString(r);
        Document d = parse(xml);
        assertThat(d.getElementsByTagName("injected").getLength()).isZero();
        Element failure = (Element) d.getElementsByTagName("failure").item(0);
        assertThat(failure.getTextContent()).contains("]]></failure><injected/>", "\\u0000", "\\u001b", "& done");
        Element tc = (Element) failure.getParentNode();
        assertThat(tc.getAttribute("name")).isEqualTo("r<&>\"");
        assertThat(tc.getAttribute("classname")).isEqualTo("img\"<&]]>\\u0001");
    }

    private static Element suite(Document d, String name) {
        NodeList suites = d.getElementsByTagName("testsuite");
        for (int i = 0; i < suites.getLength(); i++) {
            Element e = (Element) suites.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no suite " + name);
    }
}
