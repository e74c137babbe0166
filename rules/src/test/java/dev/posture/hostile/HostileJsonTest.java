package dev.posture.hostile;

import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.posture.hostile.Hostile.failed;
import static dev.posture.hostile.Hostile.only;
import static dev.posture.hostile.Hostile.scan;
import static dev.posture.hostile.Hostile.scanStdin;
import static dev.posture.hostile.Hostile.scanned;
import static dev.posture.hostile.Hostile.skipped;
import static dev.posture.hostile.Hostile.unrecognised;
import static dev.posture.hostile.Hostile.inputWarnings;
import static dev.posture.hostile.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostile JSON through the real scanner. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileJsonTest {
    private static final String STATEMENT = "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}";

    @Test
    void truncatedAndTrailingGarbageFailWithLineAndColumn(@TempDir Path dir) {
        Path trunc = write(dir, "trunc.json", "{\"Statement\": [\n" + STATEMENT);
        Path garbage = write(dir, "garbage.json", "{\"Statement\": [" + STATEMENT + "]}\n}garbage");
        Path two = write(dir, "two.json", "{\"Statement\": []} {\"Statement\": []}");
        ScanResult r = scan(trunc, garbage, two);
        failed(r, trunc, trunc + ":2:", "invalid JSON", "end-of-input");
        assertThat(Hostile.target(r, trunc).error()).doesNotContain("REDACTED", "StreamReadFeature");
        failed(r, garbage, garbage + ":2:", "invalid JSON");
        failed(r, two, two + ":1:19:", "unexpected content after the JSON value");
    }

    @Test
    void hundredThousandDeepArraysFailWithoutStackOverflow(@TempDir Path dir) {
        Path arrays = write(dir, "deep.json", "{\"Statement\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        Path objects = write(dir, "deepobj.json", "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));
        ScanResult r = scan(arrays, objects);
        failed(r, arrays, arrays + ":1:", "nesting deeper than 400 levels");
        unrecognised(r, objects, "not valid JSON", "nesting deeper than 400 levels");
        assertThat(Hostile.target(r, arrays).error()).doesNotContain("StreamReadConstraints");
    }

    @Test
    void hugeNumbersAreKeptAsWritten(@TempDir Path dir) {
        Path f = write(dir, "numbers.json", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\","
                + "\"Resource\":[\"*\", 1e400, -1e-400, 1e999999999999, " + "9".repeat(100_000) + ", 0."
                + "0".repeat(100_000) + "1, " + "1".repeat(999) + "], \"Sid\": 123456789012345678901234567890}]}");
        ScanResult r = scan(f);
        scanned(r, f);
        assertThat(r.findings()).anySatisfy(x -> assertThat(x.target().name()).isEqualTo(f.toString()));
    }

    @Test
    void duplicateKeysAreReadBroadlyAndNamed(@TempDir Path dir) {
        // IAM and other JSON parsers disagree on which duplicate wins: a policy is read as the broadest
        Path f = write(dir, "dup.json", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\n"
                + "\"Resource\":\"*\",\n\"Effect\":\"Deny\"}]}");
        ScanResult r = scan(f);
        scanned(r, f);
        assertThat(inputWarnings(r)).anySatisfy(w -> assertThat(w)
                .contains("key 'Effect' is written twice (lines 1 and 3)", "read as Allow"));
        assertThat(r.findings()).anySatisfy(x -> assertThat(x.rule().id()).isEqualTo("wildcard-admin"));
    }

    @Test
    void topLevelScalarsAndArraysAreNotRecognised(@TempDir Path dir) {
        Path str = write(dir, "str.json", "\"Statement\"");
        Path num = write(dir, "num.json", "42");
        Path arr = write(dir, "arr.json", "[" + STATEMENT + "]");
        Path nul = write(dir, "null.json", "null");
        Path empty = write(dir, "empty.json", "");
        Path blank = write(dir, "blank.json", " \n\t\n");
        ScanResult r = scan(str, num, arr, nul, empty, blank);
        unrecognised(r, str, "single JSON value");
        unrecognised(r, num, "single JSON value");
        unrecognised(r, arr, "JSON array");
        unrecognised(r, nul, "single JSON value");
        unrecognised(r, empty, "empty file");
        unrecognised(r, blank, "empty file");
        assertThat(r.targets()).isEmpty();
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void loneSurrogatesAreReadAsText(@TempDir Path dir) {
        Path f = write(dir, "surrogate.json", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"\\ud800s3:Get\\udfff\","
                + "\"Resource\":\"\\udc00\"}], \"\\ud83d\": 1}");
        ScanResult r = scan(f);
        scanned(r, f);
    }

    @Test
    void stdinIsBoundedAndNamed() {
        ScanResult garbage = scanStdin("{\"Statement\": [".getBytes(StandardCharsets.UTF_8));
        assertThat(only(garbage).error()).startsWith("stdin:").contains("invalid JSON");
        ScanResult binary = scanStdin(new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0});
        assertThat(binary.targets()).isEmpty();
        assertThat(binary.unrecognised()).singleElement().satisfies(u -> {
            assertThat(u.path()).isEqualTo("-");
            assertThat(u.reason()).contains("binary content");
        });
        ScanResult ok = scanStdin(("{\"Statement\":[" + STATEMENT + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(only(ok).error()).isNull();
    }

    @Test
    void jsonLookingYamlStillParsesAsYaml(@TempDir Path dir) {
        // flow-style YAML that is not JSON ("{a: b}") in a .yaml file is legal
        Path f = write(dir, "flow.yaml", "{Statement: [{Effect: Allow, Action: 'iam:PassRole', Resource: '*'}]}");
        scanned(scan(f), f);
    }
}
