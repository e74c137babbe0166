package dev.posture.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed demo image is exactly what {@link DemoImage} builds: deterministic and small. */
class DemoImageTest {
    static final Path COMMITTED = Path.of(System.getProperty("posture.root", "..")).resolve(
            "fixtures/demo/images/storefront.tar");

    @Test
    void committedTarballIsReproducibleAndSmall(@TempDir Path dir) throws Exception {
        if (Boolean.getBoolean("posture.regenerate")) {
            DemoImage.build(COMMITTED);
        }
        Path a = dir.resolve("a.tar");
        Path b = dir.resolve("b.tar");
        DemoImage.build(a);
        DemoImage.build(b);
        assertThat(Files.mismatch(a, b)).as("two builds are byte-identical").isEqualTo(-1L);
        assertThat(Files.mismatch(a, COMMITTED)).as("committed tarball is up to date (regenerate with"
                + " -Dposture.regenerate=true)").isEqualTo(-1L);
        assertThat(Files.size(COMMITTED)).isLessThan(200 * 1024);
    }
}
