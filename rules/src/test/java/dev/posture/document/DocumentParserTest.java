package dev.posture.document;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentParserTest {

    @Test
    void dataDocumentsParseAlikeWithoutPositionsAndKeepNumbersExact() throws Exception {
        String json = "{\"a\": [1, 2147483648, 123456789012345678901234567890, 1.50], \"b\": {\"c\": true}}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ParsedDocument withMap = DocumentParser.parse("in.json", bytes).get(0);
        ParsedDocument data = DocumentParser.parseData("in.json", bytes).get(0);
        assertThat(data.root()).isEqualTo(withMap.root());
        assertThat(data.root().get("a").get(2).bigIntegerValue()).hasToString("123456789012345678901234567890");
        assertThat(data.root().get("a").get(1).longValue()).isEqualTo(2147483648L);
        assertThat(data.root().get("a").get(3).decimalValue()).hasToString("1.50");
        assertThat(withMap.sourceMap().at("/b/c").line()).isEqualTo(1);
        assertThat(data.sourceMap().at("/b/c").hasLine()).isFalse();
        assertThatThrownBy(() -> DocumentParser.parseData("bad.json", "{\"a\": }".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InputException.class).hasMessageStartingWith("bad.json:1:");
    }

    @Test
    void yamlShortFormTagsBecomeLongFormIntrinsics() throws Exception {
        String yaml = """
                Resources:
                  Fn:
                    Properties:
                      Role: !GetAtt FnRole.Arn
                      Table: !Ref OrdersTable
                      Arn: !Sub "arn:aws:s3:::${Bucket}/*"
                      Pick: !If [IsProd, a, b]
                      Joined: !Join [":", [a, !Ref B]]
                """;
        JsonNode p = DocumentParser.parse("t.yaml", yaml).get(0).root().at("/Resources/Fn/Properties");
        assertThat(p.at("/Role/Fn::GetAtt/0").asText()).isEqualTo("FnRole");
        assertThat(p.at("/Role/Fn::GetAtt/1").asText()).isEqualTo("Arn");
        assertThat(p.at("/Table/Ref").asText()).isEqualTo("OrdersTable");
        assertThat(p.at("/Arn/Fn::Sub").asText()).isEqualTo("arn:aws:s3:::${Bucket}/*");
        assertThat(p.at("/Pick/Fn::If").size()).isEqualTo(3);
        assertThat(p.at("/Joined/Fn::Join/1/1/Ref").asText()).isEqualTo("B");
    }

    @Test
    void sourceMapPointsAtLinesOfYamlAndJson() throws Exception {
        String yaml = "a: 1\nlist:\n  - x: 1\n  - x: 2\n    y: deep\n";
        ParsedDocument d = DocumentParser.parse("f.yaml", yaml).get(0);
        assertThat(d.sourceMap().at("/list/1/y").line()).isEqualTo(5);
        assertThat(d.sourceMap().at("/list/1").line()).isEqualTo(4);
        // a pointer with no entry falls back to its nearest ancestor
        assertThat(d.sourceMap().at("/list/1/y/missing").line()).isEqualTo(5);

        String json = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\"},\n    {\"Effect\": \"Deny\"}\n  ]\n}";
        ParsedDocument j = DocumentParser.parse("p.json", json).get(0);
        assertThat(j.sourceMap().at("/Statement/1").line()).isEqualTo(4);
        assertThat(j.sourceMap().at("/Statement/1").column()).isEqualTo(5);
    }

    @Test
    void multiDocumentYamlKeepsEachDocumentAndSkipsEmptyOnes() throws Exception {
        List<ParsedDocument> docs = DocumentParser.parse("m.yaml", "a: 1\n---\n---\nb: 2\n");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(1).root().get("b").asInt()).isEqualTo(2);
        assertThat(docs.get(1).sourceMap().at("/b").line()).isEqualTo(4);
    }

    @Test
    void bigIntegersStayExactAndYamlBooleansResolve() throws Exception {
        JsonNode r = DocumentParser.parse("n.yaml", "big: 123456789012345678901234567890\nflag: true\nport: 0x1F\n")
                .get(0).root();
        assertThat(r.get("big").bigIntegerValue().toString()).isEqualTo("123456789012345678901234567890");
        assertThat(r.get("flag").booleanValue()).isTrue();
        assertThat(r.get("port").intValue()).isEqualTo(31);
    }

    @Test
    void invalidYamlNamesFileAndLine() {
        assertThatThrownBy(() -> DocumentParser.parse("bad.yaml", "a: 1\nb: [unclosed\nc: 3\n"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("bad.yaml:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void invalidJsonNamesFileAndLine() {
        assertThatThrownBy(() -> DocumentParser.parse("bad.json", "{\n  \"a\": 1,\n  \"b\": \n}"))
                .isInstanceOf(InputException.class)
                .hasMessageMatching("bad\\.json:4:\\d+: invalid JSON.*");
    }

    @Test
    void emptyAndBinaryInputsAreRejectedClearly() {
        assertThatThrownBy(() -> DocumentParser.parse("e.yaml", "   \n"))
                .hasMessage("e.yaml: empty file");
        byte[] bin = {'a', 0, 1, 2};
        assertThatThrownBy(() -> DocumentParser.parse("b.json", bin))
                .hasMessageContaining("binary content");
        byte[] latin1 = "caf\u00e9: 1".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> DocumentParser.parse("l.yaml", latin1))
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void aliasBombFailsCleanly() {
        StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                sb.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        assertThatThrownBy(() -> DocumentParser.parse("bomb.yaml", sb.toString()))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("bomb.yaml");
    }

    @Test
    void deepNestingFailsCleanlyWithoutStackOverflow() {
        String deepJson = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> DocumentParser.parse("deep.json", deepJson))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("deep.json");
        String deepYaml = "a: " + "[".repeat(20_000) + "]".repeat(20_000);
        assertThatThrownBy(() -> DocumentParser.parse("deep.yaml", deepYaml))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("deep.yaml");
    }

    @Test
    void yamlMergeKeysAreApplied() throws Exception {
        JsonNode r = DocumentParser.parse("m.yaml", "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n").get(0).root();
        assertThat(r.at("/other/x").asInt()).isEqualTo(1);
        assertThat(r.at("/other/y").asInt()).isEqualTo(3);
    }
}
