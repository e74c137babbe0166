package dev.posture.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    @Test
    void drawsOneLineThatItErasesAtTheEnd() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8));
        bar.started(2);
        bar.finished("a.yaml");
        bar.finished("b.yaml");
        bar.clear();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("1/2 a.yaml").contains("2/2 b.yaml").doesNotContain("\n");
        assertThat(out).endsWith("\r\u001b[2K");
    }

    @Test
    void fileNamesCannotDriveTheTerminal() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8));
        bar.started(1);
        bar.finished("x\u001b[2J\u0007\n\u009b" + "a".repeat(60) + "\u001b]0;t\u0007.yaml");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r\u001b[2K[");
        String drawn = out.substring("\r\u001b[2K".length());
        assertThat(drawn).doesNotContain("\u001b", "\u0007", "\n", "\u009b").endsWith("\\u001b]0;t\\u0007.yaml");
    }

    @Test
    void neverShownWhenStderrIsNotATerminalOrInCi() {
        Cli notTty = Cli.runWithStdin("", Map.of("POSTURE_STDERR_TTY", "0"), "scan", Cli.fixture("iam"), "-f", "json");
        assertThat(notTty.err()).doesNotContain("\r");
        Cli ci = Cli.runWithStdin("", Map.of("POSTURE_STDERR_TTY", "1", "CI", "true"), "scan", Cli.fixture("iam"),
                "-f", "json");
        assertThat(ci.err()).doesNotContain("\r");
        Cli tty = Cli.runWithStdin("", Map.of("POSTURE_STDERR_TTY", "1"), "scan", Cli.fixture("iam"), "-f", "json");
        assertThat(tty.err()).contains("\r").contains("/");
    }
}
