package dev.posture.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.image.facts.Accounts;
import dev.posture.image.facts.FileFacts;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.ImageReference;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.LayerDescriptor;
import dev.posture.image.source.LayerSink;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The demo image ({@code fixtures/demo/images/storefront.tar}, a legacy {@code docker save} archive) streamed
 * through the pass: every archive member goes to the sink as it passes (JSON included), so layers are read straight
 * out of the outer tar and verified by their diff_ids.
 */
class DemoImageFactsTest {
    static final Path DEMO = Path.of("../fixtures/demo/images/storefront.tar");

    /** The least a docker-save reader needs, for this test only (the real one is ArchiveSource). */
    static final class StreamedArchive implements ImageSource {
        @Override
        public String describe() {
            return "archive " + DEMO;
        }

        @Override
        public String kind() {
            return "archive";
        }

        @Override
        public ImageManifest read(LayerSink layers) throws IOException {
            Map<String, byte[]> json = new HashMap<>();
            try (InputStream in = Files.newInputStream(DEMO); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (e.getName().endsWith(".json")) {
                        json.put(e.getName(), tar.readAllBytes());
                    } else if (e.isFile()) {
                        layers.layer(e.getName(), tar);
                    }
                }
            }
            ObjectMapper mapper = new ObjectMapper();
            JsonNode m = mapper.readTree(json.get("manifest.json")).get(0);
            List<LayerDescriptor> descriptors = new ArrayList<>();
            m.get("Layers").forEach(l -> descriptors.add(new LayerDescriptor(l.asText(), null, -1, null)));
            return new ImageManifest(null, null, json.get(m.get("Config").asText()), null, descriptors,
                    List.of(m.get("RepoTags").get(0).asText()));
        }
    }

    @Test
    void theDemoImagesFlawsAreAllFacts() throws Exception {
        ImageFacts f = new ImageInspector(ImageLimits.DEFAULT, 2).inspect(DEMO.toString(), null,
                new StreamedArchive());
        assertThat(f.reference()).isEqualTo(ImageReference.parse("posture-demo/storefront:1.0"));
        assertThat(f.config().user()).isEmpty();
        assertThat(f.config().exposedPorts()).containsExactly("22/tcp", "8080/tcp");
        assertThat(f.layers()).hasSize(3).allSatisfy(l -> assertThat(l.digest()).isEqualTo(l.diffId()));
        assertThat(f.history()).extracting(h -> h.layer()).containsExactly(0, null, null, 1, 2);
        assertThat(f.accounts().users()).extracting(Accounts.User::name, Accounts.User::uid, Accounts.User::password)
                .contains(tuple("toor", 0L, "empty"));
        FileFacts files = f.files();
        assertThat(files.setuid()).extracting(FileFacts.FileEntry::path)
                .containsExactly("/usr/bin/sudo", "/usr/local/bin/healthcheck");
        assertThat(files.worldWritable()).extracting(FileFacts.FileEntry::path)
                .containsExactly("/tmp", "/var/cache/app");
        assertThat(files.secrets()).extracting(FileFacts.SecretFile::path, FileFacts.SecretFile::kind)
                .containsExactly(tuple("/app/.env", "dotenv"), tuple("/root/.ssh/id_rsa", "private-key"));
        assertThat(files.deletedSecrets()).containsExactly(new FileFacts.SecretFile("/root/.aws/credentials",
                "aws-credentials", 1, 2, "aws_secret_access_key = wJ****"));
        assertThat(files.unnecessary()).containsExactly("/app/.git", "/root/.aws");
        assertThat(files.tools()).contains("/usr/bin/sudo");
        assertThat(files.packageCaches()).extracting(FileFacts.PackageCache::manager, FileFacts.PackageCache::path)
                .containsExactly(tuple("apt", "/var/lib/apt/lists"));
        assertThat(f.os().id()).isEqualTo("debian");
        assertThat(f.os().versionId()).isEqualTo("10");
        assertThat(f.packages()).extracting(p -> p.name() + " " + p.version())
                .containsExactly("base-files 10.3+deb10u13", "login 1:4.5-1.1", "sudo 1.8.27-1+deb10u3");
        assertThat(f.created()).isEqualTo(java.time.Instant.parse("2021-03-01T00:00:00Z"));
        assertThat(f.warnings()).isEmpty();
    }
}
