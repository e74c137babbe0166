package dev.posture.rego.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OwnConformanceTest {
    @Test
    void ownCasesAllPass() throws Exception {
        Path dir = Path.of(getClass().getResource("/conformance").toURI());
        ConformanceReport r = ConformanceRunner.run(dir);
        System.out.print(r.format(true));
        assertThat(r.failures()).isEmpty();
        assertThat(r.passed()).isGreaterThan(20);
    }
}
