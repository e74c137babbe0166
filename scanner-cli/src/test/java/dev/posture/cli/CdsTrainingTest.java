package dev.posture.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher's class-data-sharing training run must succeed, or the launcher silently keeps no archive. */
class CdsTrainingTest {
    @Test
    void trainingRunScansTheDemoAndEvaluatesAndTestsAPolicy() {
        Path demo = Path.of(System.getProperty("posture.root", "..")).resolve("fixtures/demo");
        assertThatCode(() -> CdsTraining.main(new String[] {demo.toString()})).doesNotThrowAnyException();
    }

    @Test
    void aFailingStepFailsTheTrainingRun() {
        assertThatThrownBy(() -> CdsTraining.main(new String[] {"/nonexistent/posture-demo"}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scan exited");
    }
}
