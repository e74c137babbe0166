package dev.posture.image.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.testing.FixtureImage;
import dev.posture.image.testing.FixtureImage.Compression;
import dev.posture.image.testing.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class OciLayoutSourceTest {
    static final FixtureImage IMAGE = ArchiveSourceTest.IMAGE;
    static final FixtureImage ARM = FixtureImage.builder().layer(Map.of("arm", "arm64 bits")).platform("linux", "arm64")
            .build();
    static final ObjectMapper JSON = new ObjectMapper();

    static ImageManifest read(Path dir, Platform platform, RecordingSink sink) throws Exception {
        SourceOptions d = SourceOptions.defaults();
        SourceOptions o = new SourceOptions(platform, d.insecureRegistries(), null, null, d.dockerConfig(),
                d.dockerHost(), d.timeout());
        try (ImageSource s = new OciLayoutSource(dir, o)) {
            assertThat(s.kind()).isEqualTo("oci-layout");
            return s.read(sink);
        }
    }

    static String error(Path dir, Platform platform) {
        Throwable t = catchThrowable(() -> read(dir, platform, new RecordingSink()));
        assertThat(t).isInstanceOf(ImageException.class);
        assertThat(t.getMessage()).startsWith("oci-layout " + dir + ": ").doesNotContain("\n");
        return t.getMessage().substring(("oci-layout " + dir + ": ").length());
    }

    @Test
    void readsLayoutsWithPlainGzipOrZstdLayers(@TempDir Path tmp) throws Exception {
        for (Compression c : Compression.values()) {
            Path dir = tmp.resolve(c.name());
            IMAGE.writeOciLayout(dir, c, "1.0");
            RecordingSink sink = new RecordingSink();
            ImageManifest m = read(dir, Platform.DEFAULT, sink);
            assertThat(sink.check(m)).isEqualTo(IMAGE.diffIds());
            assertThat(m.layers()).allSatisfy(l -> assertThat(l.key()).isEqualTo(l.digest()));
            assertThat(m.configDigest()).isEqualTo(IMAGE.configDigest());
            assertThat(m.repoTags()).containsExactly("1.0");
            String index = Files.readString(dir.resolve("index.json"));
            assertThat(index).contains(m.manifestDigest());
            assertThat(m.mediaType()).isEqualTo(FixtureImage.OCI_MANIFEST);
            assertThat(sink.blobs()).hasSize(3);
        }
    }

    @Test
    void picksThePlatformFromAnIndexAndFromANestedIndex(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode amd = IMAGE.ociBlobs(Compression.GZIP, blobs);
        ObjectNode arm = ARM.ociBlobs(Compression.GZIP, blobs);
        Path flat = tmp.resolve("flat");
        FixtureImage.writeOciLayout(flat, blobs, List.of(amd, arm));
        // nested: index.json → an image index blob → the two manifests (as buildx and Docker 25 write it)
        byte[] nested = FixtureImage.bytes(FixtureImage.index(List.of(amd, arm)));
        Map<String, byte[]> nestedBlobs = new LinkedHashMap<>(blobs);
        String nestedDigest = "sha256:" + FixtureImage.sha256(nested);
        nestedBlobs.put(nestedDigest, nested);
        ObjectNode top = JSON.createObjectNode().put("mediaType", FixtureImage.OCI_INDEX).put("digest", nestedDigest)
                .put("size", nested.length);
        top.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        Path deep = tmp.resolve("deep");
        FixtureImage.writeOciLayout(deep, nestedBlobs, List.of(top));
        for (Path dir : List.of(flat, deep)) {
            RecordingSink a = new RecordingSink();
            assertThat(a.check(read(dir, Platform.DEFAULT, a))).isEqualTo(IMAGE.diffIds());
            RecordingSink b = new RecordingSink();
            ImageManifest m = read(dir, Platform.parse("linux/arm64"), b);
            assertThat(b.check(m)).isEqualTo(ARM.diffIds());
            assertThat(b.blobs()).hasSize(1); // only the chosen image's layers are read
            assertThat(error(dir, Platform.parse("linux/s390x"))).isEqualTo(
                    "no linux/s390x image among 2 manifests (linux/amd64, linux/arm64); choose one with --platform");
        }
        RecordingSink d = new RecordingSink();
        assertThat(read(deep, Platform.DEFAULT, d).repoTags()).containsExactly("multi"); // the name is inherited
    }

    @Test
    void anIndexNamingPlatformsWhoseBlobsAreNotThereSaysWhichAre(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode amd = IMAGE.ociBlobs(Compression.GZIP, blobs);
        ObjectNode arm = ARM.ociBlobs(Compression.GZIP, blobs);
        blobs.remove(amd.get("digest").asText()); // as a Docker 25 save on an arm64 machine
        Path dir = tmp.resolve("partial");
        FixtureImage.writeOciLayout(dir, blobs, List.of(amd, arm));
        assertThat(error(dir, Platform.DEFAULT)).isEqualTo("its index names a linux/amd64 image whose manifest is"
                + " missing; it holds linux/arm64: choose one with --platform");
        RecordingSink sink = new RecordingSink();
        assertThat(sink.check(read(dir, Platform.parse("linux/arm64"), sink))).isEqualTo(ARM.diffIds());
    }

    @Test
    void platformsUnsaidInTheIndexAreReadFromTheConfigsAndAttestationsAreNoImages(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode amd = IMAGE.ociBlobs(Compression.GZIP, blobs);
        ObjectNode arm = ARM.ociBlobs(Compression.GZIP, blobs);
        amd.remove("platform");
        arm.remove("platform");
        ObjectNode attestation = JSON.createObjectNode().put("mediaType", FixtureImage.OCI_MANIFEST)
                .put("digest", "sha256:" + "ab".repeat(32)).put("size", 1);
        attestation.putObject("platform").put("os", "unknown").put("architecture", "unknown");
        attestation.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest");
        Path dir = tmp.resolve("layout");
        FixtureImage.writeOciLayout(dir, blobs, List.of(amd, arm, attestation));
        RecordingSink b = new RecordingSink();
        assertThat(b.check(read(dir, Platform.parse("linux/arm64"), b))).isEqualTo(ARM.diffIds());
    }

    @Test
    void twoImagesForOnePlatformAreRefusedNamingBoth(@TempDir Path tmp) throws Exception {
        FixtureImage other = FixtureImage.builder().layer(Map.of("x", "y")).build();
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode a = IMAGE.ociBlobs(Compression.GZIP, blobs);
        ObjectNode b = other.ociBlobs(Compression.GZIP, blobs);
        a.putObject("annotations").put("org.opencontainers.image.ref.name", "app-1.0");
        b.putObject("annotations").put("org.opencontainers.image.ref.name", "other-2");
        Path dir = tmp.resolve("two");
        FixtureImage.writeOciLayout(dir, blobs, List.of(a, b));
        assertThat(error(dir, Platform.DEFAULT)).isEqualTo("holds 2 images for linux/amd64 (app-1.0, other-2);"
                + " posture reads one image per archive: save or copy them separately");
    }

    @Test
    void anIndexOfThousandsOfManifestsIsRefused(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode d = IMAGE.ociBlobs(Compression.GZIP, blobs);
        List<ObjectNode> many = new java.util.ArrayList<>();
        for (int i = 0; i <= OciIndex.MAX_MANIFESTS; i++) {
            many.add(d.deepCopy().put("digest", String.format("sha256:%064x", i)));
        }
        Path dir = tmp.resolve("many");
        FixtureImage.writeOciLayout(dir, blobs, many);
        assertThat(error(dir, Platform.DEFAULT)).isEqualTo("its indexes list more than 1000 manifests");
    }

    @Test
    void aMissingLayerBlobFailsBeforeAnythingIsDelivered(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("layout");
        IMAGE.writeOciLayout(dir, Compression.GZIP, null);
        RecordingSink probe = new RecordingSink();
        ImageManifest m = read(dir, Platform.DEFAULT, probe);
        String victim = m.layers().get(2).digest();
        Files.delete(dir.resolve("blobs/sha256").resolve(victim.substring(7)));
        RecordingSink sink = new RecordingSink();
        Throwable t = catchThrowable(() -> read(dir, Platform.DEFAULT, sink));
        assertThat(t).isInstanceOf(ImageException.class).hasMessage("oci-layout " + dir + ": manifest "
                + m.manifestDigest().substring(0, 19) + "… lists layer " + victim.substring(0, 19)
                + "…, whose blob is missing");
        assertThat(sink.blobs()).isEmpty();
    }

    @Test
    void blobPathsThatEscapeTheLayoutAreRefused(@TempDir Path tmp) throws Exception {
        // a digest that would be a path out of the layout
        Path dir = tmp.resolve("climb");
        IMAGE.writeOciLayout(dir, Compression.GZIP, null);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + FixtureImage.OCI_MANIFEST + "\",\"digest\":\"sha256:../../../../etc/passwd\",\"size\":1}]}");
        assertThat(error(dir, Platform.DEFAULT)).isEqualTo("index.json: 'sha256:../../../../etc/passwd' is not a"
                + " valid digest");
        // a layer blob that is a link to a file outside the layout
        Path linked = tmp.resolve("linked");
        IMAGE.writeOciLayout(linked, Compression.GZIP, null);
        ImageManifest m = read(linked, Platform.DEFAULT, new RecordingSink());
        Path outside = tmp.resolve("secret.tar.gz");
        Files.write(outside, FixtureImage.gzip(IMAGE.layers().get(0)));
        Path blob = linked.resolve("blobs/sha256").resolve(m.layers().get(0).digest().substring(7));
        Files.delete(blob);
        Files.createSymbolicLink(blob, outside);
        RecordingSink sink = new RecordingSink();
        Throwable t = catchThrowable(() -> read(linked, Platform.DEFAULT, sink));
        assertThat(t).isInstanceOf(ImageException.class).hasMessage("oci-layout " + linked + ": layer "
                + m.layers().get(0).digest().substring(0, 19)
                + "… is a symbolic link out of the layout; not followed");
        assertThat(sink.blobs()).isEmpty();
        // a link inside the layout is fine
        Path inside = linked.resolve("blobs/sha256/copy");
        Files.write(inside, FixtureImage.gzip(IMAGE.layers().get(0)));
        Files.delete(blob);
        Files.createSymbolicLink(blob, inside);
        RecordingSink ok = new RecordingSink();
        assertThat(ok.check(read(linked, Platform.DEFAULT, ok))).isEqualTo(IMAGE.diffIds());
    }

    @Test
    void aTamperedManifestAndMissingLayoutFiles(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("layout");
        IMAGE.writeOciLayout(dir, Compression.GZIP, null);
        ImageManifest m = read(dir, Platform.DEFAULT, new RecordingSink());
        Path manifest = dir.resolve("blobs/sha256").resolve(m.manifestDigest().substring(7));
        Files.writeString(manifest, Files.readString(manifest).replace("\"schemaVersion\":2", "\"schemaVersion\":2 "));
        assertThat(error(dir, Platform.DEFAULT)).startsWith("manifest " + m.manifestDigest().substring(0, 19)
                + "… does not match its digest (its sha256 is ");
        Files.delete(dir.resolve("index.json"));
        assertThat(error(dir, Platform.DEFAULT)).isEqualTo("no index.json");
        Files.delete(dir.resolve("oci-layout"));
        assertThat(error(dir, Platform.DEFAULT)).isEqualTo("no oci-layout file: not an OCI image layout");
        assertThat(error(tmp.resolve("nope"), Platform.DEFAULT)).isEqualTo("no such directory");
    }
}
