package dev.posture.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.iam.catalog.Catalogs;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.serverless.aws.AwsOptions;
import dev.posture.triage.Triage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every SARIF result of a scan of the demo and the fixtures points at a file that exists, at a line
 * it has: no pseudo-paths, no line 1 of a file that is not there. Every result of a file input has a
 * physical location. Scanned relative to the repository root and with absolute paths.
 */
class SarifFixtureArtifactsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper M = new ObjectMapper();

    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures/controls"))) {
                return p;
            }
        }
        throw new IllegalStateException("fixtures/ not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixtures/demo", "fixtures/sam", "fixtures/serverless", "fixtures/tfplan", "fixtures/iam",
            "fixtures/controls"})
    void everyArtifactUriNamesAnExistingFile(String dir) throws Exception {
        Path repo = repo();
        Scanner scanner = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled,
                AwsOptions.of(List.of(), null, List.of()), CLOCK)), 2, CLOCK, ProgressListener.NONE, "test");
        ScanResult r = scanner.scan(new ScanRequest(List.of(repo.resolve(dir).toString()), List.of(), false, null,
                repo.toString()), new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
        assertThat(r.findings()).isNotEmpty();

        JsonNode log = M.readTree(new SarifReportWriter().writeToString(r));
        SarifSchemaValidator.assertValid(log);
        JsonNode results = log.at("/runs/0/results");
        assertThat(results.size()).isEqualTo(r.findings().size());
        for (JsonNode res : results) {
            JsonNode phys = res.at("/locations/0/physicalLocation");
            assertThat(phys.isMissingNode()).as("a finding in a file input has a physical location: %s", res).isFalse();
            JsonNode artifact = phys.get("artifactLocation");
            assertThat(artifact.get("uriBaseId").asText()).isEqualTo(ArtifactUris.SRCROOT);
            String uri = artifact.get("uri").asText();
            Path file = repo.resolve(URI.create(uri).getPath());
            assertThat(file).as("%s of %s", uri, res.at("/message/text").asText()).isRegularFile();
            int line = phys.at("/region/startLine").asInt();
            assertThat(line).as(uri).isBetween(1, Files.readAllLines(file).size());
        }
    }
}
