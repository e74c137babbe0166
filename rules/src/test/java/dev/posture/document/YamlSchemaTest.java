package dev.posture.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.DocumentParser.YamlSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Typing of plain YAML scalars per schema, and reading a stream document by document. */
class YamlSchemaTest {

    private static JsonNode root(String yaml, YamlSchema schema) {
        DocumentParser.Parsed p = DocumentParser.parseDocuments("t.yaml", yaml, schema);
        assertThat(p.errors()).isEmpty();
        return p.documents().get(0).root();
    }

    private static final String SCALARS = """
            enabled: yes
            off_: off
            y_: y
            n_: N
            t: true
            tc: True
            octal: 0644
            octal_o: 0o644
            hex: 0x1F
            bin: 0b101
            under: 1_000
            dec08: 08
            float: 1.5
            exp: 1e3
            nul: ~
            empty:
            date: 2024-01-02
            inf: .inf
            sexagesimal: 1:20
            """;

    @Test
    void yaml12CoreKeepsYesNoOnOffAsStrings() {
        JsonNode n = root(SCALARS, YamlSchema.YAML_1_2_CORE);
        assertThat(n.get("enabled").isTextual()).isTrue();
        assertThat(n.get("enabled").asText()).isEqualTo("yes");
        assertThat(n.get("off_").asText()).isEqualTo("off");
        assertThat(n.get("y_").isTextual()).isTrue();
        assertThat(n.get("t").booleanValue()).isTrue();
        assertThat(n.get("tc").booleanValue()).isTrue();
        assertThat(n.get("octal").asLong()).isEqualTo(644);
        assertThat(n.get("octal_o").asLong()).isEqualTo(0644);
        assertThat(n.get("hex").asLong()).isEqualTo(31);
        assertThat(n.get("bin").isTextual()).isTrue();
        assertThat(n.get("under").isTextual()).isTrue();
        assertThat(n.get("dec08").asLong()).isEqualTo(8);
        assertThat(n.get("float").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(n.get("exp").decimalValue()).isEqualByComparingTo("1000");
        assertThat(n.get("nul").isNull()).isTrue();
        assertThat(n.get("empty").isNull()).isTrue();
        assertThat(n.get("date").asText()).isEqualTo("2024-01-02");
        assertThat(n.get("inf").asText()).isEqualTo(".inf");
        assertThat(n.get("sexagesimal").asText()).isEqualTo("1:20");
    }

    @Test
    void kubernetesTypingIsKubectls() {
        // sigs.k8s.io/yaml (go-yaml v2): YAML 1.1 booleans including y/n, 0644 octal, underscores read
        JsonNode n = root(SCALARS, YamlSchema.KUBERNETES);
        assertThat(n.get("enabled").isBoolean()).isTrue();
        assertThat(n.get("enabled").booleanValue()).isTrue();
        assertThat(n.get("off_").booleanValue()).isFalse();
        assertThat(n.get("y_").booleanValue()).isTrue();
        assertThat(n.get("n_").booleanValue()).isFalse();
        assertThat(n.get("octal").asLong()).isEqualTo(420);
        assertThat(n.get("octal_o").asLong()).isEqualTo(420);
        assertThat(n.get("hex").asLong()).isEqualTo(31);
        assertThat(n.get("bin").asLong()).isEqualTo(5);
        assertThat(n.get("under").asLong()).isEqualTo(1000);
        assertThat(n.get("dec08").decimalValue()).isEqualByComparingTo("8");
        assertThat(n.get("exp").decimalValue()).isEqualByComparingTo("1000");
        assertThat(n.get("date").asText()).isEqualTo("2024-01-02");
        assertThat(n.get("sexagesimal").asText()).isEqualTo("1:20");
        assertThat(n.get("nul").isNull()).isTrue();
    }

    @Test
    void quotedScalarsAreStringsInEverySchema() {
        for (YamlSchema s : YamlSchema.values()) {
            JsonNode n = root("a: \"yes\"\nb: '0644'\nc: \"true\"\n", s);
            assertThat(n.get("a").asText()).isEqualTo("yes");
            assertThat(n.get("b").isTextual()).isTrue();
            assertThat(n.get("c").isTextual()).as(s.name()).isTrue();
        }
    }

    @Test
    void cloudFormationParsingIsUnchanged() throws InputException {
        JsonNode n = DocumentParser.parse("t.yaml", "a: yes\nb: y\nc: 0644\n").get(0).root();
        assertThat(n.get("a").booleanValue()).isTrue();
        assertThat(n.get("b").asText()).isEqualTo("y");
        assertThat(n.get("c").asLong()).isEqualTo(420);
    }

    @Test
    void documentsAreReadOneByOneAndABrokenOneIsReportedWithItsFileLine() {
        String text = """
                %YAML 1.2
                ---
                a: 1
                ---
                b: [unclosed
                --- # a comment
                c: 3
                ...
                ---
                d: *nowhere
                ---
                e: |
                  --- not a marker: indented
                """;
        DocumentParser.Parsed p = DocumentParser.parseDocuments("s.yaml", text, YamlSchema.KUBERNETES);
        assertThat(p.documents()).extracting(d -> d.root().fieldNames().next()).containsExactly("a", "c", "e");
        assertThat(p.documents().get(1).sourceMap().at("/c").line()).isEqualTo(7);
        assertThat(p.documents().get(2).root().get("e").asText()).isEqualTo("--- not a marker: indented\n");
        assertThat(p.errors()).hasSize(2);
        assertThat(p.errors().get(0).getMessage()).startsWith("s.yaml:6:1: invalid YAML");
        assertThat(p.errors().get(1).getMessage()).startsWith("s.yaml:10:4: invalid YAML");
    }

    @Test
    void chunksStartAtMarkersOnly() {
        List<int[]> c = DocumentParser.documentChunks("a: 1\n---\nb: 2\n---x: not a marker\n--- \n");
        assertThat(c).hasSize(3);
        assertThat(c.get(1)[2]).isEqualTo(1);
        assertThat(c.get(2)[2]).isEqualTo(4);
    }
}
