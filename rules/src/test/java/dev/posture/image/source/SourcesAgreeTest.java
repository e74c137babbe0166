package dev.posture.image.source;

import dev.posture.image.testing.FixtureImage;
import dev.posture.image.testing.FixtureImage.Compression;
import dev.posture.image.testing.PodmanService;
import dev.posture.image.testing.RecordingSink;
import dev.posture.image.testing.Skopeo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One image, stored every way the tools store it — our docker save and OCI writers, skopeo's OCI layouts (gzip and
 * zstd layers), OCI archives and docker archives (podman's layout, with links), podman's daemon — read through every
 * source: the same layers (diff_ids) in the same order each time, each source's promised digests kept.
 */
@Timeout(300)
class SourcesAgreeTest {
    static final FixtureImage IMAGE = ArchiveSourceTest.IMAGE;

    record Read(String what, ImageManifest manifest, RecordingSink sink) {
    }

    static Read read(String what, ImageSource source) throws Exception {
        RecordingSink sink = new RecordingSink();
        try (source) {
            return new Read(what, source.read(sink), sink);
        }
    }

    @Test
    void everyFileLayoutYieldsTheSameLayers(@TempDir Path tmp) throws Exception {
        SourceOptions options = SourceOptions.defaults();
        Path legacy = tmp.resolve("legacy.tar");
        IMAGE.writeDockerLegacy(legacy, false);
        Path d25 = tmp.resolve("d25.tar");
        IMAGE.writeDocker25(d25);
        Path ours = tmp.resolve("ours");
        IMAGE.writeOciLayout(ours, Compression.GZIP, "1.0");

        Skopeo skopeo = new Skopeo(tmp.resolve("skopeo"));
        skopeo.copy("docker-archive:" + legacy, "oci:" + tmp.resolve("sk-oci") + ":1.0");
        skopeo.copy("docker-archive:" + legacy, "oci:" + tmp.resolve("sk-zstd") + ":1.0",
                "--dest-compress-format", "zstd");
        skopeo.copy("docker-archive:" + legacy, "oci-archive:" + tmp.resolve("sk-oci.tar") + ":1.0");
        skopeo.copy("oci:" + ours + ":1.0", "docker-archive:" + tmp.resolve("sk-docker.tar") + ":demo/app:1.0");
        skopeo.copy("docker-archive:" + d25, "oci:" + tmp.resolve("sk-from-d25") + ":1.0");

        Map<String, ImageSource> sources = new LinkedHashMap<>();
        sources.put("legacy archive", new ArchiveSource(legacy, options));
        sources.put("Docker 25+ archive", new ArchiveSource(d25, options));
        sources.put("our OCI layout", new OciLayoutSource(ours, options));
        sources.put("skopeo oci: (gzip)", new OciLayoutSource(tmp.resolve("sk-oci"), options));
        sources.put("skopeo oci: (zstd)", new OciLayoutSource(tmp.resolve("sk-zstd"), options));
        sources.put("skopeo oci-archive:", new ArchiveSource(tmp.resolve("sk-oci.tar"), options));
        sources.put("skopeo docker-archive:", new ArchiveSource(tmp.resolve("sk-docker.tar"), options));
        sources.put("skopeo from Docker 25+", new OciLayoutSource(tmp.resolve("sk-from-d25"), options));
        for (Map.Entry<String, ImageSource> s : sources.entrySet()) {
            Read r = read(s.getKey(), s.getValue());
            assertThat(r.sink.check(r.manifest)).as(r.what).isEqualTo(IMAGE.diffIds());
            assertThat(RecordingSink.configDiffIds(r.manifest)).as(r.what).isEqualTo(IMAGE.diffIds());
        }

        // skopeo's zstd layout really holds zstd layers, and its docker archive is podman's layout with links
        Read zstd = read("zstd", new OciLayoutSource(tmp.resolve("sk-zstd"), options));
        assertThat(zstd.manifest.layers()).allSatisfy(l -> assertThat(l.mediaType()).endsWith("+zstd"));
        Read docker = read("docker", new ArchiveSource(tmp.resolve("sk-docker.tar"), options));
        assertThat(docker.manifest.layers()).allSatisfy(l -> assertThat(l.key()).matches("[0-9a-f]{64}\\.tar"));
        assertThat(docker.manifest.repoTags()).containsExactly("docker.io/demo/app:1.0");

    }

    @Test
    void podmansDaemonYieldsTheSameLayersAsTheArchiveItWasLoadedFrom(@TempDir Path tmp) throws Exception {
        SourceOptions options = SourceOptions.defaults();
        Path legacy = tmp.resolve("legacy.tar");
        IMAGE.writeDockerLegacy(legacy, false);
        Read archive = read("archive", new ArchiveSource(legacy, options));
        try (PodmanService podman = PodmanService.start(tmp.resolve("pm"))) {
            assertThat(podman.load(legacy)).contains("Loaded image: localhost/demo/app:1.0");
            SourceOptions daemon = new SourceOptions(options.platform(), options.insecureRegistries(), null, null,
                    options.dockerConfig(), podman.host(), options.timeout());
            Read r = read("podman", new DaemonSource("demo/app:1.0", daemon));
            assertThat(r.sink.check(r.manifest)).isEqualTo(archive.sink.check(archive.manifest))
                    .isEqualTo(IMAGE.diffIds());
            assertThat(r.manifest.repoTags()).containsExactly("localhost/demo/app:1.0");
            assertThat(r.manifest.configDigest()).isEqualTo(IMAGE.configDigest());
        }
        assertThat(Files.exists(tmp.resolve("pm/podman.sock"))).as("socket gone with the service").isFalse();
    }

    @Test
    void theSameImageThroughImageSourcesOpen(@TempDir Path tmp) throws Exception {
        Path legacy = tmp.resolve("legacy.tar");
        IMAGE.writeDockerLegacy(legacy, false);
        Path layout = tmp.resolve("layout");
        IMAGE.writeOciLayout(layout, Compression.ZSTD, null);
        for (Path p : List.of(legacy, layout)) {
            Read r = read(p.toString(), ImageSources.open(p.toString(), null, SourceOptions.defaults()));
            assertThat(r.sink.check(r.manifest)).isEqualTo(IMAGE.diffIds());
        }
    }
}
