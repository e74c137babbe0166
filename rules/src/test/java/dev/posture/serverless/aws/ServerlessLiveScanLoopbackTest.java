package dev.posture.serverless.aws;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.model.Finding;
import dev.posture.model.TargetStatus;
import dev.posture.model.TargetType;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.triage.Triage;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole live scan — scanner, serverless analyzer, real AWS SDK clients — against the loopback
 * stand-in for AWS (IAM Query/XML, Lambda REST/JSON) replaying {@code fixtures/aws/}.
 */
class ServerlessLiveScanLoopbackTest {

    @Test
    void liveScanReportsFindingsWithArnsAndAFailedTargetPerFailedRegion() throws Exception {
        try (AwsLoopbackServer aws = AwsLoopbackServer.start("routes.json")) {
            AwsOptions options = new AwsOptions(List.of("us-east-1", "eu-west-1"), null, List.of(), aws.endpoint(),
                    aws.endpoint(), aws.endpoint(), AwsLiveCollectorLoopbackTest.FAKE);
            Clock clock = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
            Scanner scanner = new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled, options, clock)), 1, clock,
                    ProgressListener.NONE, "test");
            ScanResult r = scanner.scan(new ScanRequest(List.of(), List.of(), true, null, "/tmp"),
                    new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));

            String fn = AwsLiveCollectorLoopbackTest.FN;
            assertThat(r.targets()).anySatisfy(t -> {
                assertThat(t.name()).isEqualTo(fn + "public-webhook");
                assertThat(t.type()).isEqualTo(TargetType.LAMBDA);
                assertThat(t.status()).isEqualTo(TargetStatus.SCANNED);
            });
            // the region that denies ListFunctions is one failed target, and makes the scan incomplete
            assertThat(r.targets()).anySatisfy(t -> {
                assertThat(t.name()).isEqualTo("aws-lambda:eu-west-1");
                assertThat(t.status()).isEqualTo(TargetStatus.FAILED);
                assertThat(t.error()).isNotBlank();
            });
            assertThat(r.incomplete()).isTrue();

            List<Finding> publicInvoke = r.findings().stream()
                    .filter(f -> f.rule().id().equals("public-invoke")).toList();
            assertThat(publicInvoke).anySatisfy(f -> {
                assertThat(f.target().name()).isEqualTo(fn + "public-webhook");
                assertThat(f.location()).as("live findings have no file").isNull();
                assertThat(f.logicalLocation()).contains("public-webhook");
            });
            assertThat(r.findings()).anySatisfy(f -> assertThat(f.rule().id()).isEqualTo("wildcard-admin"));
            assertThat(r.summaries()).anySatisfy(s -> assertThat(s.imageUri()).isNotBlank());
        }
    }
}
