package dev.posture.hostile;

import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents of about 1 MB, shaped to make a parser keep a copy of a long path per value, parsed in
 * a JVM with a 100 MB heap: memory must be linear in the document with a small constant. (The
 * source map used to hold one full pointer string per value: such a file took 6 GB.)
 */
class HostileMemoryTest {

    /** Entry point of the forked JVM: parses each file, prints "ok" or the input error per file. */
    public static void main(String[] args) throws Exception {
        for (String f : args) {
            byte[] bytes = Files.readAllBytes(Path.of(f));
            try {
                List<ParsedDocument> docs = DocumentParser.parse(f, bytes);
                // ask for a location deep inside, so the map is really used
                docs.get(0).sourceMap().at("/x");
                System.out.println("ok " + f);
            } catch (InputException e) {
                System.out.println("input error " + f + ": " + e.getMessage());
            }
        }
    }

    @Test
    void oneMegabyteDocumentsOfAnyShapeFitInAHundredMegabyteHeap(@TempDir Path dir) throws Exception {
        List<String> files = new ArrayList<>();
        // a 60,000-character key over 20,000 values
        String key = "k".repeat(60_000);
        files.add(write(dir, "longkey.json", "{\"" + key + "\": [" + "1,".repeat(20_000) + "1]}"));
        // 300 levels of 3,000-character keys (a 900,000-character path) with 10,000 values at the bottom
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            deep.append("{\"").append(Character.toString('a' + i % 26).repeat(3_000)).append("\":");
        }
        deep.append("[").append("0,".repeat(10_000)).append("0]").append("}".repeat(300));
        files.add(write(dir, "deep.json", deep.toString()));
        // YAML: long nested keys and aliases that repeat a large subtree, within the alias budget
        StringBuilder y = new StringBuilder("base: &b\n");
        for (int i = 0; i < 2_000; i++) {
            y.append("  ").append("key").append(i).append("x".repeat(200)).append(": [1, 2, 3]\n");
        }
        y.append("copies:\n");
        for (int i = 0; i < 90; i++) {
            y.append("  ").append("c".repeat(1_000)).append(i).append(": *b\n");
        }
        files.add(write(dir, "aliases.yaml", y.toString()));
        // a key over the limit is an input error, not a memory sink
        files.add(write(dir, "hugekey.json", "{\"" + "k".repeat(1_000_000) + "\": 1}"));

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx100m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HostileMemoryTest.class.getName()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("OutOfMemoryError")
                .contains("ok " + files.get(0), "ok " + files.get(1), "ok " + files.get(2))
                .contains("input error " + files.get(3), "over the 65536-character limit");
    }

    private static String write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        assertThat(Files.size(p)).isLessThan(1_200_000);
        return p.toString();
    }
}
