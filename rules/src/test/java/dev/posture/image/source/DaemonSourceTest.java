package dev.posture.image.source;

import dev.posture.image.testing.FixtureImage;
import dev.posture.image.testing.PodmanService;
import dev.posture.image.testing.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** DaemonSource against podman's Docker-compatible API, started by the test on a socket of its own. */
@Timeout(120)
class DaemonSourceTest {
    static final FixtureImage V1 = ArchiveSourceTest.IMAGE;
    static final FixtureImage LATEST = FixtureImage.builder().layer(Map.of("etc/latest", "yes")).tag("demo/app:latest")
            .build();

    @TempDir
    static Path tmp;
    static PodmanService podman;

    @BeforeAll
    static void startPodman() {
        podman = PodmanService.start(tmp.resolve("pm"));
        Path v1 = tmp.resolve("v1.tar");
        V1.writeDockerLegacy(v1, false);
        podman.load(v1);
        Path latest = tmp.resolve("latest.tar");
        LATEST.writeDockerLegacy(latest, false);
        podman.load(latest);
    }

    @AfterAll
    static void stopPodman() {
        if (podman != null) {
            podman.close();
        }
    }

    static SourceOptions host(String host) {
        SourceOptions d = SourceOptions.defaults();
        return new SourceOptions(d.platform(), d.insecureRegistries(), null, null, d.dockerConfig(), host, d.timeout());
    }

    static ImageManifest read(String name, RecordingSink sink) throws Exception {
        try (ImageSource s = new DaemonSource(name, host(podman.host()))) {
            assertThat(s.kind()).isEqualTo("daemon");
            assertThat(s.describe()).isEqualTo("daemon " + podman.host());
            return s.read(sink);
        }
    }

    @Test
    void readsATaggedImageStreamedFromSave() throws Exception {
        RecordingSink sink = new RecordingSink();
        ImageManifest m = read("demo/app:1.0", sink);
        assertThat(sink.check(m)).isEqualTo(V1.diffIds());
        assertThat(m.configDigest()).isEqualTo(V1.configDigest());
        assertThat(m.repoTags()).containsExactly("localhost/demo/app:1.0");
    }

    @Test
    void aNameWithoutTagIsLatestNotEveryTagOfTheRepository() throws Exception {
        RecordingSink sink = new RecordingSink();
        assertThat(sink.check(read("demo/app", sink))).isEqualTo(LATEST.diffIds());
    }

    @Test
    void anImageIdWorksToo() throws Exception {
        RecordingSink sink = new RecordingSink();
        ImageManifest m = read(V1.configDigest().substring(7, 19), sink);
        assertThat(sink.check(m)).isEqualTo(V1.diffIds());
    }

    @Test
    void aMissingImageIsOneClearLine() {
        Throwable t = catchThrowable(() -> read("demo/nope:9", new RecordingSink()));
        assertThat(t).isInstanceOf(ImageException.class)
                .hasMessage("daemon " + podman.host() + ": no image demo/nope:9");
    }

    @Test
    void aSocketThatDoesNotExistFailsAtOnce(@TempDir Path dir) {
        String host = "unix://" + dir.resolve("nope.sock");
        Throwable t = catchThrowable(() -> new DaemonSource("demo/app:1.0", host(host)).read(new RecordingSink()));
        assertThat(t).isInstanceOf(ImageException.class);
        assertThat(t.getMessage()).startsWith("daemon " + host + ": cannot connect (").doesNotContain("\n");
        assertThat(Files.exists(dir.resolve("nope.sock"))).isFalse();
    }

    @Test
    void aClosedTcpPortFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed
        }
        String host = "tcp://127.0.0.1:" + port;
        Throwable t = catchThrowable(() -> new DaemonSource("demo/app:1.0", host(host)).read(new RecordingSink()));
        assertThat(t).isInstanceOf(ImageException.class);
        assertThat(t.getMessage()).startsWith("daemon " + host + ": cannot connect (").doesNotContain("\n");
    }
}
