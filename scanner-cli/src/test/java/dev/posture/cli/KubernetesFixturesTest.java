package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.report.SarifSchemaValidator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.posture.cli.Cli.fixture;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * fixtures/k8s through the real CLI with the bundled policies: exactly the findings of
 * fixtures/k8s/expected-findings.tsv (file, resource, control, severity, container, line), the same whether the
 * directory or each file alone is scanned, and no secret of the fixtures in any report.
 */
class KubernetesFixturesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of(fixture("k8s"));
    static final List<String> SECRETS = List.of("ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi", "Xq7Lm2Pz9Rt4", "hunter2",
            "sk_live_51HxQ2kLmNoPqRsTuVwXyZ0a1", "correct-horse-battery", "ASIAY34FZKBOKMUTVV7A", "Tr0ub4dor&3xyz");

    /** file, resource, control, severity, container, line — one per expected finding. */
    static Set<String> expected() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(DIR.resolve("expected-findings.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            out.add(String.join(" | ", c[0], c[1], c[2], c[3], c[4], c[6]));
        }
        return out;
    }

    static Set<String> actual(JsonNode report) {
        Set<String> out = new TreeSet<>();
        for (JsonNode f : report.get("findings")) {
            out.add(String.join(" | ", Path.of(f.at("/target/name").asText()).getFileName().toString(),
                    f.get("resource").asText(), f.get("control").asText(), f.get("severity").asText(),
                    f.get("container").isNull() ? "" : f.get("container").asText(),
                    f.at("/location/line").asText()));
            assertThat(f.get("surface").asText()).isEqualTo("container");
            assertThat(f.at("/location/file").asText()).isEqualTo(f.at("/target/name").asText());
        }
        return out;
    }

    @Test
    void theDirectoryReportsExactlyTheExpectedFindings() throws Exception {
        Cli r = run("scan", DIR.toString(), "-f", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = JSON.readTree(r.out());
        assertThat(actual(report)).containsExactlyElementsOf(expected());
        for (JsonNode t : report.get("targets")) {
            assertThat(t.get("type").asText()).isEqualTo("kubernetes");
            assertThat(t.get("status").asText()).as(t.toString()).isEqualTo("scanned");
        }
        // a chart's values.yaml is no manifest; a ServiceMonitor is inventoried, counted, not judged
        assertThat(report.get("unrecognised").toString()).contains("chart-values.yaml");
        assertThat(report.get("warnings").toString()).contains("ServiceMonitor (monitoring.coreos.com) ×1");
        for (String s : SECRETS) {
            assertThat(r.out()).as("json carries %s", s).doesNotContain(s);
        }
    }

    @Test
    void eachFileAloneReportsWhatTheDirectoryReportsForIt() throws Exception {
        Set<String> all = expected();
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList();
        }
        List<String> mismatches = new ArrayList<>();
        for (Path f : files) {
            JsonNode report = JSON.readTree(run("scan", f.toString(), "-f", "json").out());
            Set<String> want = new TreeSet<>(all.stream().filter(e -> e.startsWith(f.getFileName() + " | ")).toList());
            Set<String> got = actual(report);
            if (!got.equals(want)) {
                mismatches.add(f.getFileName() + ": expected " + want + " got " + got);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void sarifAndTableCarryNoSecretAndSarifIsValid() throws Exception {
        Cli sarif = run("scan", DIR.toString(), "-f", "sarif");
        SarifSchemaValidator.assertValid(JSON.readTree(sarif.out()));
        Cli table = Cli.runWithStdin("", Map.of("POSTURE_STDOUT_TTY", "1", "NO_COLOR", "1"), "scan", DIR.toString(), "-v");
        for (String s : SECRETS) {
            assertThat(sarif.out()).as("sarif carries %s", s).doesNotContain(s);
            assertThat(table.out()).as("table carries %s", s).doesNotContain(s);
            assertThat(table.err()).as("stderr carries %s", s).doesNotContain(s);
        }
        assertThat(table.out()).contains("kubernetes " + DIR.resolve("hardened.yaml") + "  scanned, no findings");
    }
}
