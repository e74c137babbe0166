package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The combined posture summary on the demo, in JSON, table, Markdown and JUnit XML. */
class PostureReportTest {

    static final String DEMO = fixture("demo");

    @Test
    void theDemoPostureShowsBothSurfacesAndWhoSecuresWhat() throws Exception {
        Cli r = run("scan", DEMO, "-f", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode p = root.get("posture");
        JsonNode sl = p.at("/surfaces/serverless");
        JsonNode ct = p.at("/surfaces/container");
        assertThat(sl.get("status").asText()).isEqualTo("scanned");
        assertThat(ct.get("status").asText()).isEqualTo("scanned");
        assertThat(sl.get("score").isNumber()).isTrue();
        assertThat(ct.get("score").isNumber()).isTrue();

        // the provider patches managed runtimes; images are yours on the container side
        assertThat(sl.at("/themes/image/owner").asText()).isEqualTo("provider");
        assertThat(ct.at("/themes/image/owner").asText()).isEqualTo("you");
        assertThat(sl.at("/themes/image/status").asText()).isEqualTo("not scanned");
        assertThat(ct.at("/themes/image/status").asText()).isEqualTo("findings");
        // what the serverless analyzer checks is covered; what nobody checks is not scanned, never clean
        for (String theme : new String[] {"iam", "secrets", "network", "runtime", "code"}) {
            assertThat(sl.at("/themes/" + theme + "/status").asText()).as(theme).isEqualTo("findings");
        }
        assertThat(sl.at("/themes/supply-chain/status").asText()).isEqualTo("not scanned");
        assertThat(sl.at("/themes/cluster/status").asText()).isEqualTo("not scanned");
        assertThat(ct.at("/themes/supply-chain/status").asText()).isEqualTo("findings");
        assertThat(ct.at("/themes/supply-chain/notes/0").asText()).startsWith("vulnerabilities: not scanned");
        assertThat(sl.at("/themes/iam/counts/critical").asInt()).isPositive();
        assertThat(sl.at("/themes/iam/topRisks")).hasSizeLessThanOrEqualTo(3);
        assertThat(p.get("topRisks")).hasSize(5);
        assertThat(p.get("coverage").toString()).contains("{\"surface\":\"serverless\",\"theme\":\"iam\"}",
                "{\"surface\":\"container\",\"theme\":\"image\"}",
                "{\"surface\":\"container\",\"theme\":\"supply-chain\"}")
                .doesNotContain("{\"surface\":\"serverless\",\"theme\":\"supply-chain\"}");
        assertThat(p.at("/topRisks/0/severity").asText()).isEqualTo("critical");

        // counts per surface agree with the summary section
        for (String s : new String[] {"serverless", "container"}) {
            for (String sev : new String[] {"critical", "high", "medium", "low", "info"}) {
                assertThat(p.at("/surfaces/" + s + "/counts/" + sev).asInt())
                        .isEqualTo(root.at("/summary/" + s + "/" + sev).asInt());
            }
        }

        // drill-down: function -> role -> policies; workload -> containers; image -> layers -> files
        JsonNode lambda = target(p, "lambda");
        JsonNode checkout = node(lambda.get("nodes"), "CheckoutFunction");
        assertThat(checkout.get("kind").asText()).isEqualTo("function");
        JsonNode role = node(checkout.get("children"), "CheckoutFunctionRole");
        assertThat(role.get("kind").asText()).isEqualTo("role");
        assertThat(node(role.get("children"), "inline policy CheckoutFunctionRolePolicy0").get("kind").asText())
                .isEqualTo("policy");
        assertThat(node(lambda.get("nodes"), "HealthFunction")).isNotNull();
        JsonNode k8s = null;
        for (JsonNode t : p.get("targets")) {
            if (t.get("name").asText().endsWith("storefront.yaml")) {
                k8s = t;
            }
        }
        JsonNode web = node(node(k8s.get("nodes"), "Deployment/default/storefront").get("children"), "web");
        assertThat(web.get("kind").asText()).isEqualTo("container");
        assertThat(web.at("/counts/critical").asInt()).isEqualTo(2);
        JsonNode image = target(p, "image");
        JsonNode layer1 = node(image.get("nodes"), "1");
        assertThat(layer1.get("kind").asText()).isEqualTo("layer");
        assertThat(node(layer1.get("children"), "/root/.ssh/id_rsa").get("kind").asText()).isEqualTo("file");
    }

    @Test
    void tableEndsWithTheSideBySideSummary() {
        Cli r = run("scan", DEMO, "-f", "table");
        String[] lines = r.out().split("\n");
        String out = r.out();
        assertThat(out).contains("posture       serverless", "supply-chain  not scanned  you");
        assertThat(lines[lines.length - 1]).startsWith("score = 100 - min(100");
        for (String l : lines) {
            assertThat(l.length()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void markdownAndJunitFromExtensionsAndFormats(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("posture.md");
        Cli r = run("scan", DEMO, "-o", md.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String text = Files.readString(md);
        assertThat(text).startsWith("## posture: serverless vs containers")
                .contains("| image | _not scanned_ | provider |", "### Top risks", "**Critical**");

        Path xml = dir.resolve("junit.xml");
        r = run("scan", DEMO, "-o", xml.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(xml.toFile());
        assertThat(d.getElementsByTagName("testsuite").getLength()).isEqualTo(4);
        assertThat(d.getDocumentElement().getAttribute("failures")).isNotEqualTo("0");

        r = run("scan", DEMO, "-f", "junit");
        assertThat(r.out()).startsWith("<?xml");
        r = run("scan", DEMO, "-f", "nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("markdown, junit or html");
    }

    private static JsonNode target(JsonNode p, String type) {
        for (JsonNode t : p.get("targets")) {
            if (t.get("type").asText().equals(type)) {
                return t;
            }
        }
        throw new AssertionError("no " + type + " target");
    }

    private static JsonNode node(JsonNode nodes, String name) {
        for (JsonNode n : nodes) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no node " + name + " in " + nodes);
    }
}
