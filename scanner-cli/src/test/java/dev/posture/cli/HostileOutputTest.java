package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code posture scan} writes, when the checkout it scans is hostile (a pull request in CI):
 * report files never go through a link or over an input, nothing from inputs or ignore files
 * drives the terminal, a lost report is never a success, and the checkout's own ignore file can be
 * left out. The table of outcomes is in docs/architecture.md ("Reports and terminal").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileOutputTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POLICY = HostileCliTest.POLICY;

    // ---- A. report files

    @Test
    void aReportPathThatIsASymbolicLinkIsRefusedAndTheLinkedFileKept(@TempDir Path dir) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path victim = Files.writeString(Files.createDirectories(dir.resolve("victim")).resolve("important.conf"), "precious\n");
        Path ok = Files.writeString(repo.resolve("ok.json"), POLICY);
        Path link = Files.createSymbolicLink(repo.resolve("posture.sarif"), Path.of("../victim/important.conf"));
        Path dangling = Files.createSymbolicLink(repo.resolve("posture.json"), Path.of("../victim/new.conf"));

        for (String[] args : List.of(
                new String[] {"scan", ok.toString(), "-f", "sarif=" + link},
                new String[] {"scan", repo.toString(), "-f", "table", "-f", "sarif=" + link},
                new String[] {"scan", ok.toString(), "-o", dangling.toString()})) {
            Cli r = run(args);
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is a symbolic link").contains("refusing to write a report through it");
            assertThat(r.out()).as("checked before scanning: no report at all").isEmpty();
        }
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(dir.resolve("victim/new.conf")).doesNotExist();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aReportOverAScannedInputIsRefused(@TempDir Path dir) throws Exception {
        Path t = Files.writeString(dir.resolve("t.yaml"), POLICY);
        Path viaLink = Files.createSymbolicLink(dir.resolve("link.yaml"), t.getFileName());
        Path hard = Files.createLink(dir.resolve("hard.json"), t);
        Path ignore = Files.writeString(dir.resolve("ignore.yaml"), "ignore: []\n");

        Cli same = run("scan", t.toString(), "-o", t.toString());
        assertThat(same.exit()).as(same.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(same.err()).contains(t + " is a scanned input; refusing to overwrite it with a report");

        Cli link = run("scan", viaLink.toString(), "-f", "json=" + t);
        assertThat(link.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(link.err()).contains(t + " is the same file as the scanned input " + viaLink);

        assertThat(run("scan", t.toString(), "-f", "json=" + hard).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", t.toString(), "--ignore-file", ignore.toString(), "-o", ignore.toString()).exit())
                .isEqualTo(ExitCodes.USAGE);
        // found while walking the directory: an input too
        Cli walked = run("scan", dir.toString(), "-f", "json=" + t);
        assertThat(walked.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(walked.err()).contains(t + " is ").contains("scanned input");
        // two reports into one file
        Cli twice = run("scan", t.toString(), "-f", "json=" + dir.resolve("r.json"), "-f", "sarif=" + dir.resolve("r.json"));
        assertThat(twice.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(twice.err()).contains("two reports would be written to");

        assertThat(Files.readString(t)).isEqualTo(POLICY);
        assertThat(Files.readString(ignore)).isEqualTo("ignore: []\n");
    }

    @Test
    void aReportInsideTheScannedDirectoryThatIsNotAnInputIsFine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ok.json"), POLICY);
        Path report = dir.resolve("posture.json");
        for (int i = 0; i < 2; i++) { // the second time the earlier report is there, walked but not an input
            Cli r = run("scan", dir.toString(), "-f", "json=" + report, "--no-progress");
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
            assertThat(JSON.readTree(report.toFile()).get("targets")).hasSize(1);
        }
        assertThat(temporaryFiles(dir)).isEmpty();
    }

    @Test
    void aReportReplacesWhatIsAtItsPathInsteadOfWritingIntoIt(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        Path old = Files.writeString(dir.resolve("old.json"), "x".repeat(100_000));
        Path fifo = dir.resolve("fifo.sarif");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");

        Cli r = run("scan", ok.toString(), "-f", "json=" + old, "-f", "sarif=" + fifo);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(old.toFile()).get("findings")).isNotEmpty(); // whole, nothing of the old text
        assertThat(Files.isRegularFile(fifo)).as("the FIFO was replaced, not written into (which would block)").isTrue();
        assertThat(JSON.readTree(fifo.toFile()).get("version").asText()).isEqualTo("2.1.0");
        assertThat(temporaryFiles(dir)).isEmpty();
    }

    @Test
    void aReportFileThatCannotBeWrittenExitsThreeWithTheReason(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        Path notADir = Files.writeString(dir.resolve("file"), "");
        Cli r = run("scan", ok.toString(), "-f", "json=" + notADir.resolve("r.json"), "-f", "sarif");
        assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.err()).contains("posture: cannot write the json report to " + notADir.resolve("r.json") + ": ");
        assertThat(JSON.readTree(r.out()).get("version").asText()).as("the other report is still written")
                .isEqualTo("2.1.0");
    }

    @Test
    void aReportThatFailsHalfwayLeavesTheEarlierOneAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path report = Files.writeString(dir.resolve("posture.json"), "{\"earlier\": true}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFile.write(report, out -> {
            out.write("{\"half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(Files.readString(report)).isEqualTo("{\"earlier\": true}\n");
        assertThat(temporaryFiles(dir)).isEmpty();
    }

    // ---- B. terminal

    @Test
    void theProgressBarEscapesHostileFileNames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.json"), POLICY);
        Files.writeString(dir.resolve("evil\u001b]0;pwned\u0007\nposture: all clear.json"), POLICY);
        Cli r = Cli.runWithStdin("", Map.of("POSTURE_STDERR_TTY", "1"), "scan", dir.toString(), "-f", "json");
        assertThat(r.err()).contains("\r"); // the bar was drawn
        String text = r.err().replace("\r\u001b[2K", "");
        assertThat(text).doesNotContain("\u001b", "\u0007").doesNotContain("\nposture: all clear");
        assertThat(text).contains("\\u0007\\u000aposture: all clear.json"); // the name's end, escaped
    }

    @Test
    void ignoreFileTextIsEscapedInWarningsAndErrors(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        // YAML escapes in double quotes are legal and give real control characters
        Path expired = Files.writeString(dir.resolve("expired.yaml"), """
                ignore:
                  - rule: x
                    target: "\\e]0;pwned\\a\\nposture: all clear"
                    reason: "r"
                    expires: 2001-01-01
                """);
        Cli warn = run("scan", ok.toString(), "--ignore-file", expired.toString(), "-f", "json");
        assertThat(warn.err()).contains("warning: ignore entry").contains("\\u001b]0;pwned\\u0007\\u000aposture: all clear")
                .doesNotContain("\u001b", "\u0007", "\nposture: all clear");
        // and in the table, where the warning is repeated
        Cli table = run("scan", ok.toString(), "--ignore-file", expired.toString(), "-f", "table", "-q");
        assertThat(table.out()).contains("\\u001b]0;pwned").doesNotContain("\u001b", "\u0007");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                ignore:
                  - rule: x
                    reason: r
                    expires: "\\e[2J\\e[Hnext"
                """);
        Cli err = run("scan", ok.toString(), "--ignore-file", bad.toString());
        assertThat(err.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.err()).contains("'expires' must be a date").contains("\\u001b[2J").doesNotContain("\u001b");
    }

    // ---- C. a report that is not written is not a success

    @Test
    void aFailedWriteToStdoutExitsThreeWithTheReason(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        Cli reason = Cli.runTo(CheckedPrintStream.of(new Failing(), StandardCharsets.UTF_8), "scan", ok.toString(),
                "-f", "json", "--fail-on", "info");
        assertThat(reason.exit()).as("3 wins over the gate's 1").isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(reason.err()).contains("posture: cannot write the json report to standard output: No space left on device");
        // any PrintStream: the error is still seen, only its reason is unknown
        Cli plain = Cli.runTo(new PrintStream(new Failing(), true, StandardCharsets.UTF_8), "scan", ok.toString(), "-f", "sarif");
        assertThat(plain.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(plain.err()).contains("cannot write the sarif report to standard output: write error");
        Cli table = Cli.runTo(new PrintStream(new Failing(), true, StandardCharsets.UTF_8), "scan", ok.toString(), "-f", "table");
        assertThat(table.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        // other commands: the entry point checks stdout after every command
        Path rego = Files.writeString(dir.resolve("p.rego"), "package p\nx := 1\n");
        Cli eval = Cli.runTo(new PrintStream(new Failing(), true, StandardCharsets.UTF_8), "policy", "eval", "-d",
                rego.toString(), "data.p.x");
        assertThat(eval.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(eval.err()).contains("posture: cannot write to standard output");
    }

    @Test
    void devFullThroughTheEntryPoint(@TempDir Path dir) throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "/dev/full exists (Linux)");
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        // stdout wrapped as Main.main wraps the real one
        try (PrintStream out = CheckedPrintStream.of(new BufferedOutputStream(new FileOutputStream(full.toFile())),
                StandardCharsets.UTF_8)) {
            Cli r = Cli.runTo(out, "scan", ok.toString(), "-f", "json");
            assertThat(r.exit()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(r.err()).contains("cannot write the json report to standard output: No space left on device");
        }
        // a device named as the report file is written in place, and its failure seen
        Cli file = run("scan", ok.toString(), "-f", "json=/dev/full");
        assertThat(file.exit()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(file.err()).contains("cannot write the json report to /dev/full: No space left on device");
        assertThat(run("scan", ok.toString(), "-o", "/dev/null", "-f", "sarif").exit()).isEqualTo(ExitCodes.OK);
    }

    // ---- D. suppressions from the scanned checkout

    @Test
    void theCheckoutsOwnIgnoreFileCanBeReplacedOrLeftOut(@TempDir Path dir) throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        String ok = Files.writeString(checkout.resolve("ok.json"), POLICY).toString();
        Set<String> rules = new LinkedHashSet<>();
        JSON.readTree(run("scan", ok, "-f", "json").out()).get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
        assertThat(rules).isNotEmpty();
        // the pull request adds an ignore file listing every rule that fires
        StringBuilder everything = new StringBuilder("ignore:\n");
        rules.forEach(id -> everything.append("  - rule: ").append(id).append("\n    reason: not a problem\n"));
        Files.writeString(checkout.resolve(".posture-ignore.yaml"), everything);

        Cli pr = Cli.runIn(checkout, "", Map.of(), "scan", ok, "-f", "json", "--fail-on", "info");
        assertThat(pr.exit()).as("what the PR's own file achieves").isEqualTo(ExitCodes.OK);
        assertThat(pr.err()).contains(rules.size() + " suppression(s) from ").contains(".posture-ignore.yaml");

        Cli audit = Cli.runIn(checkout, "", Map.of(), "scan", ok, "-f", "json", "--fail-on", "info", "--no-ignore-file");
        assertThat(audit.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(JSON.readTree(audit.out()).at("/summary/suppressed").asInt()).isZero();

        Path base = Files.writeString(dir.resolve("base-ignore.yaml"), "ignore: []\n"); // the base branch's file
        Cli ci = Cli.runIn(checkout, "", Map.of(), "scan", ok, "-f", "json", "--fail-on", "info", "--ignore-file",
                base.toString());
        assertThat(ci.exit()).isEqualTo(ExitCodes.FINDINGS);

        Cli both = Cli.runIn(checkout, "", Map.of(), "scan", ok, "--no-ignore-file", "--ignore-file", base.toString());
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("--ignore-file and --no-ignore-file exclude each other");
    }

    @Test
    void suppressedFindingsCarryTheirEntryInJsonAndSarifAndExpiredEntriesStopSuppressing(@TempDir Path dir)
            throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), POLICY);
        String rule = JSON.readTree(run("scan", ok.toString(), "-f", "json").out()).at("/findings/0/ruleId").asText();
        Path ignore = Files.writeString(dir.resolve("ignore.yaml"), "ignore:\n"
                + "  - rule: " + rule + "\n    target: \"**\"\n    resource: \"*\"\n    reason: accepted in SEC-9\n"
                + "    expires: 2999-12-31\n");
        JsonNode json = JSON.readTree(run("scan", ok.toString(), "--ignore-file", ignore.toString(), "-f", "json").out());
        JsonNode s = null;
        for (JsonNode f : json.get("findings")) {
            if (f.get("ruleId").asText().equals(rule)) {
                s = f.get("suppressed");
            }
        }
        assertThat(s).isNotNull();
        assertThat(s.get("rule").asText()).isEqualTo(rule);
        assertThat(s.get("control").isNull()).isTrue();
        assertThat(s.get("target").asText()).isEqualTo("**");
        assertThat(s.get("resource").asText()).isEqualTo("*");
        assertThat(s.get("reason").asText()).isEqualTo("accepted in SEC-9");
        assertThat(s.get("expires").asText()).isEqualTo("2999-12-31");
        assertThat(s.get("source").asText()).startsWith(ignore + ":2");

        JsonNode sarif = JSON.readTree(run("scan", ok.toString(), "--ignore-file", ignore.toString(), "-f", "sarif").out());
        List<JsonNode> suppressions = new ArrayList<>();
        sarif.at("/runs/0/results").forEach(res -> {
            if (res.get("ruleId").asText().equals(rule)) {
                suppressions.add(res.at("/suppressions/0"));
            }
        });
        assertThat(suppressions).isNotEmpty().allSatisfy(x -> {
            assertThat(x.get("kind").asText()).isEqualTo("external");
            assertThat(x.get("status").asText()).isEqualTo("accepted");
            assertThat(x.get("justification").asText()).isEqualTo("accepted in SEC-9");
        });

        // the same entry, expired: it no longer suppresses (the gate sees the finding) and is warned about
        Files.writeString(ignore, Files.readString(ignore).replace("2999-12-31", "2001-01-01"));
        Cli expired = run("scan", ok.toString(), "--ignore-file", ignore.toString(), "-f", "json", "--fail-on", "info");
        assertThat(expired.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(expired.err()).contains("expired on 2001-01-01 and no longer applies");
        assertThat(JSON.readTree(expired.out()).at("/summary/suppressed").asInt()).isZero();
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** A stream that fails like a full disk. */
    static final class Failing extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }
    }
}
