package dev.posture.rego.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the shared OPA conformance subset (outside the repository) when present. */
class SharedConformanceTest {

    static Path sharedDir() {
        String root = System.getProperty("posture.root");
        Path base = root != null ? Path.of(root) : Path.of("..");
        return base.resolve("../shared/opa-conformance").normalize();
    }

    @Test
    void sharedSuitePassesAtLeast95Percent() {
        Path dir = sharedDir();
        assumeTrue(Files.isDirectory(dir), "shared conformance folder absent: " + dir);
        ConformanceReport r = ConformanceRunner.run(dir);
        System.out.print(r.format(true));
        int total = r.passed() + r.failed();
        assertThat(total).isGreaterThanOrEqualTo(436);
        assertThat(r.passed() * 100.0 / total).isGreaterThanOrEqualTo(95.0);
    }
}
