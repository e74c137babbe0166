package dev.posture.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportArtifactUrisTest {

    private static String uri(String file, String base) {
        return ArtifactUris.forFile(file, base).uri();
    }

    @Test
    void relativePathsAreNormalised() {
        assertThat(uri("./k8s/deploy.yaml", "/repo")).isEqualTo("k8s/deploy.yaml");
        assertThat(uri("k8s\\sub\\..\\deploy.yaml", "/repo")).isEqualTo("k8s/deploy.yaml");
        assertThat(uri("a//b/./c.yaml", null)).isEqualTo("a/b/c.yaml");
        assertThat(ArtifactUris.forFile("a.yaml", null).uriBaseId()).isEqualTo("%SRCROOT%");
    }

    @Test
    void absolutePathsUnderTheBaseBecomeRelative() {
        assertThat(uri("/repo/k8s/deploy.yaml", "/repo")).isEqualTo("k8s/deploy.yaml");
        assertThat(uri("/repo/k8s/deploy.yaml", "/repo/")).isEqualTo("k8s/deploy.yaml");
        assertThat(uri("/repository/x.yaml", "/repo")).isEqualTo("file:///repository/x.yaml");
        assertThat(ArtifactUris.forFile("/elsewhere/x.yaml", "/repo").uriBaseId()).isNull();
        assertThat(uri("C:\\work\\repo\\k8s\\a b.yaml", "C:\\work\\repo")).isEqualTo("k8s/a%20b.yaml");
        assertThat(uri("C:\\other\\a.yaml", "C:\\work\\repo")).isEqualTo("file:///C:/other/a.yaml");
    }

    @Test
    void escapingTheBaseGivesAnAbsoluteUri() {
        assertThat(uri("../x.yaml", "/repo/sub")).isEqualTo("file:///repo/x.yaml");
    }

    @Test
    void specialCharactersArePercentEncoded() {
        assertThat(uri("dir with space/ü#?.yaml", null)).isEqualTo("dir%20with%20space/%C3%BC%23%3F.yaml");
        assertThat(uri("a:b.yaml", null)).isEqualTo("a%3Ab.yaml");
        assertThat(uri("100%.yaml", null)).isEqualTo("100%25.yaml");
    }

    @Test
    void baseUriEndsWithSlash() {
        assertThat(ArtifactUris.baseUri("/work/repo")).isEqualTo("file:///work/repo/");
        assertThat(ArtifactUris.baseUri("/work/my repo/")).isEqualTo("file:///work/my%20repo/");
        assertThat(ArtifactUris.baseUri(".")).startsWith("file:///").endsWith("/");
    }
}
