package dev.posture.hostile;

import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.posture.hostile.Hostile.failed;
import static dev.posture.hostile.Hostile.inputWarnings;
import static dev.posture.hostile.Hostile.scan;
import static dev.posture.hostile.Hostile.scanned;
import static dev.posture.hostile.Hostile.skipped;
import static dev.posture.hostile.Hostile.unrecognised;
import static dev.posture.hostile.Hostile.inputWarnings;
import static dev.posture.hostile.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile YAML through the real scanner: every file ends as a target (scanned, failed with a
 * one-line reason naming it, or skipped), nothing hangs, nothing crashes. The timeouts only
 * guard against hangs; they are far above the real times.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileYamlTest {
    private static final String POLICY = "Statement:\n  - Effect: Allow\n    Action: 's3:GetObject'\n    Resource: '*'\n";

    @Test
    void billionLaughsFailsCleanly(@TempDir Path dir) {
        StringBuilder y = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        String prev = "a";
        for (char c = 'b'; c <= 'j'; c++) {
            y.append(c).append(": &").append(c).append(" [").append(("*" + prev + ",").repeat(8)).append('*')
                    .append(prev).append("]\n");
            prev = String.valueOf(c);
        }
        y.append("Statement: []\n");
        Path f = write(dir, "laughs.yaml", y.toString());
        failed(scan(f), f, "invalid YAML", "alias");
    }

    @Test
    void selfReferencingAnchorsFailCleanly(@TempDir Path dir) {
        Path map = write(dir, "map.yaml", "Statement: &s\n  Effect: Allow\n  Action: *s\n");
        Path seq = write(dir, "seq.yaml", "a: &x [1, *x]\nStatement: []\n");
        ScanResult r = scan(map, seq);
        failed(r, map, "recursive alias");
        failed(r, seq, "recursive alias");
    }

    @Test
    void hundredThousandDeepNestingFailsWithoutStackOverflow(@TempDir Path dir) {
        // under a key of a format: a candidate that cannot be read, so a failed target
        Path flow = write(dir, "flow.yaml", "Statement: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        Path flowMap = write(dir, "flowmap.yaml", "Resources: " + "{a: ".repeat(100_000) + "1" + "}".repeat(100_000) + "\n");
        // no format's key before the depth runs out: not an input
        Path block = write(dir, "block.yaml", "- ".repeat(100_000) + "x\n");
        Path jsonish = write(dir, "jsonish.yaml", "[".repeat(100_000) + "]".repeat(100_000));
        Path other = write(dir, "other.yaml", "a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        ScanResult r = scan(flow, flowMap, block, jsonish, other);
        failed(r, flow, "nesting deeper than 400 levels");
        failed(r, flowMap, "nesting deeper than 400 levels");
        unrecognised(r, block, "nesting deeper than 400 levels");
        unrecognised(r, jsonish, "JSON array");
        unrecognised(r, other, "nesting deeper than 400 levels");
        // a failing file never stops the others
        assertThat(r.targets()).hasSize(2);
    }

    @Test
    void tenMegabyteSingleLineScalarFailsFastNamingTheLine(@TempDir Path dir) {
        // SnakeYAML is quadratic in the length of a line: 10 MB took half a minute, 50 MB many minutes
        Path plain = write(dir, "plain.yaml", "Statement: " + "x".repeat(10_000_000) + "\n");
        Path quoted = write(dir, "quoted.yaml", "a: 1\nStatement: \"" + "x".repeat(10_000_000) + "\"\n");
        Path notInput = write(dir, "data.yaml", "a: 1\nb: \"" + "x".repeat(10_000_000) + "\"\n");
        ScanResult r = scan(plain, quoted, notInput);
        failed(r, plain, plain + ":1:", "over the 1048576-character limit");
        failed(r, quoted, quoted + ":2:", "over the 1048576-character limit");
        unrecognised(r, notInput, "a line over 1048576 characters");
    }

    @Test
    void longScalarUnderTheLineLimitIsScanned(@TempDir Path dir) {
        Path f = write(dir, "long.yaml", POLICY + "Sid: " + "x".repeat(500_000) + "\n");
        scanned(scan(f), f);
    }

    @Test
    void tenThousandDocumentsAreAllRead(@TempDir Path dir) {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            y.append("---\nStatement:\n  - Effect: Allow\n    Action: 'iam:PassRole'\n    Resource: '*'\n");
        }
        Path f = write(dir, "many.yaml", y.toString());
        ScanResult r = scan(f);
        scanned(r, f);
        // every document is a policy; the last one is analysed too
        assertThat(r.findings()).anySatisfy(x -> assertThat(x.resource()).isEqualTo("many#9999"));
    }

    @Test
    void emptyDocumentsAndSeparatorsOnly(@TempDir Path dir) {
        Path seps = write(dir, "seps.yaml", "---\n---\n...\n---\n");
        Path comments = write(dir, "comments.yaml", "# nothing here\n");
        ScanResult r = scan(seps, comments);
        unrecognised(r, seps, "empty file");
        unrecognised(r, comments, "empty file");
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void tabIndentationFailsWithLine(@TempDir Path dir) {
        Path f = write(dir, "tabs.yaml", "Statement:\n\t- Effect: Allow\n");
        failed(scan(f), f, f + ":2:", "TAB");
    }

    @Test
    void invalidUtf8FailsWithTheOffset(@TempDir Path dir) {
        byte[] head = "Statement:\n  - Effect: Allow\n    Action: \"".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3;
        bytes[head.length + 1] = (byte) 0x28;
        bytes[head.length + 2] = '"';
        Path f = write(dir, "latin.yaml", bytes);
        ScanResult r = scan(f);
        unrecognised(r, f, "not UTF-8 text", "line 3");
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void utf16AndUtf32WithBomAreDecoded(@TempDir Path dir) {
        Path le = write(dir, "le.yaml", bom(new byte[] {(byte) 0xFF, (byte) 0xFE}, POLICY, "UTF-16LE"));
        Path be = write(dir, "be.json", bom(new byte[] {(byte) 0xFE, (byte) 0xFF},
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}", "UTF-16BE"));
        Path le32 = write(dir, "le32.yaml", bom(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, POLICY, "UTF-32LE"));
        Path broken = write(dir, "broken16.yaml", new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0, 0, (byte) 0xD8});
        ScanResult r = scan(le, be, le32, broken);
        scanned(r, le);
        scanned(r, be);
        scanned(r, le32);
        assertThat(r.findings()).anySatisfy(x -> assertThat(x.target().name()).isEqualTo(be.toString()));
        unrecognised(r, broken, "UTF-16LE");
    }

    @Test
    void controlCharactersFailNamingTheCharacterAndLine(@TempDir Path dir) {
        Path f = write(dir, "esc.yaml", "Statement: 1\nb: \"\u001b]0;title\u0007\"\n");
        Path other = write(dir, "other.yaml", "a: 1\nb: \"\u001b]0;title\u0007\"\n");
        ScanResult r = scan(f, other);
        failed(r, f, f + ":2:5:", "control character U+001B");
        unrecognised(r, other, "not valid YAML");
        assertThat(r.unrecognised().get(0).reason()).doesNotContain("\u001b");
    }

    @Test
    void nulBytesFail(@TempDir Path dir) {
        Path f = write(dir, "nul.yaml", "Statement:\n  - Effect: Allow\u0000\n".getBytes(StandardCharsets.UTF_8));
        ScanResult r = scan(f);
        unrecognised(r, f, "binary content");
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void unknownTagsAreRefusedOrKept(@TempDir Path dir) {
        // global tags could instantiate classes in other YAML loaders: refused, with the line
        Path python = write(dir, "python.yaml", POLICY + "x: !!python/object:os.system [ls]\n");
        Path javaTag = write(dir, "java.yaml", POLICY + "x: !!javax.script.ScriptEngineManager [1]\n");
        // a local tag is just an (unknown) intrinsic-like wrapper: the document is read
        Path custom = write(dir, "custom.yaml", POLICY + "x: !Custom {a: 1}\ny: !Custom\n");
        ScanResult r = scan(python, javaTag, custom);
        failed(r, python, python + ":5:", "tag");
        failed(r, javaTag, javaTag + ":5:", "tag");
        scanned(r, custom);
    }

    @Test
    void mergeKeysOntoNonMapsAndDuplicateKeys(@TempDir Path dir) {
        Path mergeScalar = write(dir, "merge.yaml", "base: &b 1\nStatement:\n  - <<: *b\n    Effect: Allow\n"
                + "    Action: 's3:GetObject'\n    Resource: '*'\n");
        Path mergeOk = write(dir, "merge-ok.yaml", "base: &b {Effect: Deny, Resource: '*'}\nStatement:\n"
                + "  - <<: *b\n    Effect: Allow\n    Action: 'iam:PassRole'\n");
        Path dup = write(dir, "dup.yaml", POLICY + "Statement: []\n");
        Path dupInner = write(dir, "dup-inner.yaml", "Statement:\n  - Effect: Deny\n    Effect: Allow\n"
                + "    Action: '*'\n    Resource: '*'\n");
        ScanResult r = scan(mergeScalar, mergeOk, dup, dupInner);
        failed(r, mergeScalar, "merge");
        scanned(r, mergeOk);
        // explicit keys win over merged ones (YAML merge semantics): Allow iam:PassRole on *
        assertThat(r.findings()).anySatisfy(x -> {
            assertThat(x.target().name()).isEqualTo(mergeOk.toString());
            assertThat(x.rule().id()).isNotEqualTo("input-warning");
        });
        // which duplicate wins differs between parsers: the policy is read broadly and the reader told
        scanned(r, dup);
        scanned(r, dupInner);
        assertThat(inputWarnings(r)).anySatisfy(w -> assertThat(w)
                .contains("'Statement' is written twice (lines 1 and 5)", "statements of both are read"));
        assertThat(inputWarnings(r)).anySatisfy(w -> assertThat(w)
                .contains("statement 1: key 'Effect' is written twice (lines 2 and 3)", "read as Allow"));
        // Deny then Allow of everything: the Allow is analysed
        assertThat(r.findings()).anySatisfy(x -> {
            assertThat(x.target().name()).isEqualTo(dupInner.toString());
            assertThat(x.rule().severity()).isEqualTo(dev.posture.model.Severity.CRITICAL);
        });
    }

    @Test
    void keysThatAreMapsOrListsAndSpecialNumbers(@TempDir Path dir) {
        Path keys = write(dir, "keys.yaml", POLICY + "? {a: 1}\n: map key\n? [1, 2]\n: list key\n");
        Path numbers = write(dir, "numbers.yaml", "Statement:\n  - Effect: Allow\n    Action: .inf\n"
                + "    Resource: [.nan, -.inf, 1e400, 1.0e400, 1.0e-99999, " + "9".repeat(20_000) + ", 0x"
                + "f".repeat(5_000) + ", 0o777, 0b101, 1_000]\n    Sid: " + "1".repeat(1_000_000) + "\n");
        ScanResult r = scan(keys, numbers);
        scanned(r, keys);
        scanned(r, numbers);
    }

    @Test
    void cloudFormationShortTagsInOddPlaces(@TempDir Path dir) {
        Path f = write(dir, "tags.yaml", String.join("\n",
                "AWSTemplateFormatVersion: '2010-09-09'",
                "Conditions:",
                "  C: !Equals [!Ref Env, prod]",
                "Resources:",
                "  Fn:",
                "    Type: AWS::Lambda::Function",
                "    Properties:",
                "      Runtime: !GetAtt [a, b, c, d]",
                "      Handler: !Sub [x, {a: 1}, extra]",
                "      Role: !If [only-one]",
                "      FunctionName: !Ref",
                "      Environment: !Ref Nothing",
                "  Role:",
                "    Type: AWS::IAM::Role",
                "    Properties:",
                "      AssumeRolePolicyDocument: !Sub {a: b}",
                "      Policies:",
                "        - PolicyName: !GetAtt",
                "          PolicyDocument:",
                "            Statement:",
                "              - Effect: !Ref E",
                "                Action: !If [c, !Ref x]",
                "                Resource: !GetAtt",
                "              - Effect: Allow",
                "                Action: !Join [1]",
                "                Resource: !Select [a, b]",
                "              - Effect: Allow",
                "                Action: !Select [9, [a]]",
                "                Resource: !Sub [1]",
                "              - Effect: Allow",
                "                Action: [!FindInMap x, !Split [',', !Ref L], !Base64 {a: [1]}]",
                "                Resource: !Join [',', !Ref L]",
                "                Condition: !If [a, b, c, d]",
                "              - !If [C, {Effect: Allow}]",
                "              - !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]",
                "  Tagged: !Ref X",
                "  Typed:",
                "    Type: !Ref T",
                ""));
        ScanResult r = scan(f);
        Target t = scanned(r, f);
        assertThat(t.status()).isEqualTo(TargetStatus.SCANNED);
        assertThat(inputWarnings(r)).isNotEmpty();
    }

    private static byte[] bom(byte[] bom, String text, String charset) {
        byte[] body = text.getBytes(java.nio.charset.Charset.forName(charset));
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        return all;
    }
}
