package dev.posture.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed base of the scanner's image is exactly what {@link ScannerBaseImage} builds. */
class ScannerBaseImageTest {
    static final Path COMMITTED = Path.of(System.getProperty("posture.root", "..")).resolve(
            "fixtures/images/posture-base.tar");

    @Test
    void committedBaseIsReproducibleAndSmall(@TempDir Path dir) throws Exception {
        if (Boolean.getBoolean("posture.regenerate")) {
            ScannerBaseImage.build(COMMITTED);
        }
        Path a = dir.resolve("a.tar");
        ScannerBaseImage.build(a);
        assertThat(Files.mismatch(a, COMMITTED)).as("committed base is up to date (regenerate with"
                + " -Dposture.regenerate=true)").isEqualTo(-1L);
        assertThat(Files.size(COMMITTED)).isLessThan(64 * 1024);
    }
}
