package dev.posture.image;

import dev.posture.demo.DemoImage;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.LayerFacts;
import dev.posture.image.source.ImageReference;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.ImageSources;
import dev.posture.image.source.SourceOptions;
import dev.posture.image.testing.LocalRegistry;
import dev.posture.image.testing.PodmanService;
import dev.posture.image.testing.Skopeo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's promise: each source yields identical facts for the same image. The demo image (setuid files,
 * whiteouts, a deleted secret, accounts, dpkg) is read as the archive it is, as OCI layouts skopeo made of it
 * (gzip and zstd layers), from a real registry it was pushed to, and from podman's daemon it was loaded into;
 * everything the pass found about its content must be the same. Only what differs by nature may differ: where it
 * came from, the manifest digest and the layer blobs' compressed digests and sizes.
 */
@Timeout(300)
class SourcesSameFactsTest {

    /** The facts with the source-dependent parts left out. */
    record Content(Object config, Object created, Object history, Object os, Object accounts, Object packages,
                   Object files, List<String> diffIds, List<Long> uncompressed, List<Long> entries) {
        static Content of(ImageFacts f) {
            return new Content(f.config(), f.created(), f.history(), f.os(), f.accounts(), f.packages(), f.files(),
                    f.layers().stream().map(LayerFacts::diffId).toList(),
                    f.layers().stream().map(LayerFacts::uncompressedSize).toList(),
                    f.layers().stream().map(LayerFacts::entries).toList());
        }
    }

    static ImageFacts read(String target, Path path, SourceOptions options) throws Exception {
        try (ImageSource s = ImageSources.open(target, path, options)) {
            ImageReference ref = target.startsWith("daemon://") ? ImageReference.parse(target.substring(9))
                    : path == null ? ImageReference.parse(target) : null;
            return new ImageInspector(ImageLimits.DEFAULT, 2).inspect(target, ref, s);
        }
    }

    @Test
    void everySourceFindsTheSameThingsInTheDemoImage(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("storefront.tar");
        DemoImage.build(tar);
        SourceOptions options = SourceOptions.defaults();
        Skopeo skopeo = new Skopeo(tmp.resolve("skopeo"));
        skopeo.copy("docker-archive:" + tar, "oci:" + tmp.resolve("oci-gzip") + ":1.0");
        skopeo.copy("docker-archive:" + tar, "oci:" + tmp.resolve("oci-zstd") + ":1.0",
                "--dest-compress-format", "zstd");

        Map<String, ImageFacts> read = new LinkedHashMap<>();
        read.put("archive", read(tar.toString(), tar, options));
        read.put("OCI layout (gzip)", read(tmp.resolve("oci-gzip").toString(), tmp.resolve("oci-gzip"), options));
        read.put("OCI layout (zstd)", read(tmp.resolve("oci-zstd").toString(), tmp.resolve("oci-zstd"), options));
        try (LocalRegistry registry = LocalRegistry.start()) {
            String ref = registry.address() + "/posture-demo/storefront:1.0";
            skopeo.copy("docker-archive:" + tar, "docker://" + ref, "--dest-tls-verify=false");
            read.put("registry", read(ref, null, options));
        }
        try (PodmanService podman = PodmanService.start(tmp.resolve("pm"))) {
            podman.load(tar);
            SourceOptions daemon = new SourceOptions(options.platform(), options.insecureRegistries(), null, null,
                    options.dockerConfig(), podman.host(), options.timeout());
            read.put("daemon", read("daemon://posture-demo/storefront:1.0", null, daemon));
        }

        Content expected = Content.of(read.get("archive"));
        assertThat(read.get("archive").files().deletedSecrets()).isNotEmpty();
        assertThat(read.get("archive").files().setuid()).hasSize(2);
        for (Map.Entry<String, ImageFacts> e : read.entrySet()) {
            assertThat(Content.of(e.getValue())).as(e.getKey()).isEqualTo(expected);
            assertThat(e.getValue().warnings()).as(e.getKey()).isEmpty();
        }
        assertThat(read.get("OCI layout (zstd)").layers()).allSatisfy(l -> assertThat(l.compression()).isEqualTo("zstd"));
        assertThat(read.get("registry").manifestDigest()).startsWith("sha256:");
        assertThat(read).extractingByKeys("archive", "registry", "daemon")
                .extracting(ImageFacts::source).containsExactly("archive", "registry", "daemon");
    }
}
