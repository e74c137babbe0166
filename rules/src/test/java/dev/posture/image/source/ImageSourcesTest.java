package dev.posture.image.source;

import dev.posture.image.testing.FixtureImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageSourcesTest {
    static final SourceOptions OPTIONS = SourceOptions.defaults();

    @Test
    void picksTheSourceForWhatWasNamed(@TempDir Path dir) throws Exception {
        Path layout = dir.resolve("layout");
        ArchiveSourceTest.IMAGE.writeOciLayout(layout, FixtureImage.Compression.GZIP, null);
        Path archive = dir.resolve("app.tar");
        ArchiveSourceTest.IMAGE.writeDockerLegacy(archive, false);

        assertThat(ImageSources.open("daemon://demo/app:1.0", null, OPTIONS)).isInstanceOf(DaemonSource.class)
                .satisfies(s -> assertThat(s.describe()).isEqualTo("daemon " + OPTIONS.dockerHost()));
        assertThat(ImageSources.open(layout.toString(), null, OPTIONS).kind()).isEqualTo("oci-layout");
        assertThat(ImageSources.open(archive.toString(), null, OPTIONS).kind()).isEqualTo("archive");
        assertThat(ImageSources.open("whatever-the-user-typed", archive, OPTIONS).describe())
                .isEqualTo("archive " + archive);
        assertThat(ImageSources.open("localhost:5000/shop/app:1.0", null, OPTIONS))
                .isInstanceOf(RegistrySource.class)
                .satisfies(s -> assertThat(s.describe()).isEqualTo("registry localhost:5000/shop/app:1.0"));
        assertThat(ImageSources.open("alpine", null, OPTIONS).describe())
                .isEqualTo("registry registry-1.docker.io/library/alpine");
    }

    @Test
    void namesThatAreNothingFailClearly(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("plain"));
        assertThatThrownBy(() -> ImageSources.open(dir.resolve("plain").toString(), null, OPTIONS))
                .isInstanceOf(ImageException.class)
                .hasMessage(dir.resolve("plain") + ": a directory without an oci-layout file, not an OCI image layout");
        assertThatThrownBy(() -> ImageSources.open("Not A Reference!", null, OPTIONS))
                .isInstanceOf(ImageException.class).hasMessageContaining("is not valid")
                .hasMessageEndingWith("(and no file or directory of that name exists)");
        assertThatThrownBy(() -> ImageSources.open("daemon://", null, OPTIONS))
                .isInstanceOf(ImageException.class).hasMessage("daemon://: no image named (daemon://NAME[:TAG])");
    }
}
