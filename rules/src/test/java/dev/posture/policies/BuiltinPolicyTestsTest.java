package dev.posture.policies;

import dev.posture.rego.testing.TestOptions;
import dev.posture.rego.testing.TestReport;
import dev.posture.rego.testing.TestRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every *_test.rego under policies/ through the embedded engine's test runner, as the build's gate. */
class BuiltinPolicyTestsTest {

    @Test
    void everyPolicyTestPasses() throws IOException {
        Path policies = Path.of(System.getProperty("posture.root", "..")).resolve("policies");
        assertThat(policies).isDirectory();
        boolean anyRego;
        try (Stream<Path> s = Files.walk(policies)) {
            anyRego = s.anyMatch(p -> p.toString().endsWith(".rego"));
        }
        if (!anyRego) {
            return; // the built-in policy set arrives with the Kubernetes and image analyzers
        }
        TestReport report = TestRunner.run(List.of(policies), TestOptions.defaults());
        assertThat(report.failed()).as(report.format(true)).isZero();
        assertThat(report.passed()).isPositive();
    }
}
