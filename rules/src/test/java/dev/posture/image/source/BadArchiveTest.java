package dev.posture.image.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.posture.image.testing.FixtureImage;
import dev.posture.image.testing.FixtureImage.Entry;
import dev.posture.image.testing.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Broken and hostile archives: every one fails with one line naming the archive and what is wrong, read at random
 * from the file, as a stream, and gzip'd; never a stack trace, never a partial image.
 */
class BadArchiveTest {
    static final FixtureImage IMAGE = ArchiveSourceTest.IMAGE;
    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the archive every way it can be read; returns the messages, each checked to be one ImageException line. */
    static List<String> errors(Path file, boolean gzipToo) throws Exception {
        List<String> messages = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(file));
        if (gzipToo) {
            files.add(ArchiveSourceTest.gzip(file));
        }
        for (Path f : files) {
            Throwable t = catchThrowable(() -> new ArchiveSource(f, SourceOptions.defaults())
                    .read(new RecordingSink()));
            assertThat(t).as(f.toString()).isInstanceOf(ImageException.class);
            assertThat(t.getMessage()).startsWith("archive " + f + ": ").doesNotContain("\n");
            messages.add(t.getMessage().substring(("archive " + f + ": ").length()));
            Throwable s = catchThrowable(() -> {
                try (InputStream in = Files.newInputStream(f)) {
                    new DockerArchiveReader("archive " + f, Platform.DEFAULT).read(in, new RecordingSink());
                }
            });
            assertThat(s).as(f + " streamed").isInstanceOf(ImageException.class);
            assertThat(s.getMessage()).startsWith("archive " + f + ": ").doesNotContain("\n");
            messages.add(s.getMessage().substring(("archive " + f + ": ").length()));
        }
        return messages;
    }

    @Test
    void notATar(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.tar");
        Files.writeString(text, "just some text, long enough to be more than one tar header? no.\n".repeat(20));
        assertThat(errors(text, true)).allSatisfy(m -> assertThat(m).contains("not a tar archive"));
        Path empty = dir.resolve("empty.tar");
        Files.write(empty, new byte[0]);
        assertThat(errors(empty, false)).allSatisfy(m -> assertThat(m).contains("empty file"));
        Path zeros = dir.resolve("zeros.tar");
        Files.write(zeros, new byte[10240]);
        assertThat(errors(zeros, true)).allSatisfy(m -> assertThat(m).contains("an empty tar archive"));
        Path gz = dir.resolve("junk.tar.gz");
        Files.write(gz, Arrays.copyOf(FixtureImage.gzip("hello".getBytes(StandardCharsets.UTF_8)), 25));
        assertThat(errors(gz, false)).allSatisfy(m -> assertThat(m).contains("not a tar archive"));
    }

    @Test
    void truncatedInsideALayer(@TempDir Path dir) throws Exception {
        FixtureImage big = FixtureImage.builder().randomLayer("blob", 200_000, 1).build();
        Path full = dir.resolve("full.tar");
        big.writeDockerLegacy(full, true); // manifest first: the cut falls in the layer
        byte[] all = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(all, 100_000));
        assertThat(errors(cut, true)).allSatisfy(m -> assertThat(m).containsAnyOf("truncated", "ends"));
        Path gz = dir.resolve("cut.tar.gz");
        byte[] zipped = FixtureImage.gzip(all);
        Files.write(gz, Arrays.copyOf(zipped, zipped.length / 2));
        assertThat(errors(gz, false)).allSatisfy(m -> assertThat(m).contains("truncated"));
    }

    @Test
    void truncatedBeforeManifestJson(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.tar");
        IMAGE.writeDockerLegacy(full, false);
        byte[] all = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.tar"); // manifest.json, repositories and the end are gone
        // cut at an entry's edge, the tar reader sees a short archive, not a broken one: the error says so
        for (int cutAt : new int[]{all.length - 4096, all.length - 3000}) {
            Files.write(cut, Arrays.copyOf(all, cutAt));
            assertThat(errors(cut, true)).allSatisfy(m -> assertThat(m).containsAnyOf(
                    "neither manifest.json nor index.json in it: not a docker save or OCI image archive (the archive"
                            + " ends without tar's end-of-archive blocks: truncated?)", "truncated or corrupt tar"));
        }
    }

    @Test
    void manifestListsALayerTheArchiveDoesNotHold(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("missing.tar");
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file(IMAGE.configDigest().substring(7) + ".json", IMAGE.config()));
        entries.add(Entry.file("aaaa/layer.tar", IMAGE.layers().get(0)));
        entries.add(manifest(IMAGE.configDigest().substring(7) + ".json", "aaaa/layer.tar", "3f2a/layer.tar"));
        FixtureImage.writeTar(tar, entries);
        assertThat(errors(tar, true)).allSatisfy(m -> assertThat(m)
                .isEqualTo("manifest.json lists 3f2a/layer.tar, which the archive does not contain"));
    }

    @Test
    void manifestListsAConfigOrAFileThatIsNoLayer(@TempDir Path dir) throws Exception {
        Path noConfig = dir.resolve("noconfig.tar");
        FixtureImage.writeTar(noConfig, List.of(Entry.file("a/layer.tar", IMAGE.layers().get(0)),
                manifest("cafe.json", "a/layer.tar")));
        assertThat(errors(noConfig, false)).allSatisfy(m -> assertThat(m)
                .isEqualTo("manifest.json names config cafe.json, which the archive does not contain"));
        Path notLayer = dir.resolve("notlayer.tar");
        FixtureImage.writeTar(notLayer, List.of(Entry.file("c.json", IMAGE.config()),
                Entry.file("a/layer.tar", "plain text is no layer"), manifest("c.json", "a/layer.tar")));
        assertThat(errors(notLayer, false)).allSatisfy(m -> assertThat(m)
                .isEqualTo("manifest.json lists a/layer.tar, which is neither JSON nor a layer (gzip, zstd or tar)"));
    }

    @Test
    void ociArchiveWhoseManifestListsAMissingBlob(@TempDir Path dir) throws Exception {
        Path layout = dir.resolve("layout");
        IMAGE.writeOciLayout(layout, FixtureImage.Compression.GZIP, "1.0");
        String victim;
        try (var files = Files.list(layout.resolve("blobs/sha256"))) {
            victim = files.filter(p -> {
                try {
                    byte[] b = Files.readAllBytes(p);
                    return (b[0] & 0xff) == 0x1f;
                } catch (Exception e) {
                    return false;
                }
            }).findFirst().orElseThrow().getFileName().toString();
        }
        Files.delete(layout.resolve("blobs/sha256").resolve(victim));
        Path tar = dir.resolve("oci.tar");
        FixtureImage.tarDirectory(layout, tar);
        assertThat(errors(tar, true)).allSatisfy(m -> assertThat(m).matches(
                "manifest sha256:[0-9a-f]{12}… lists layer sha256:" + victim.substring(0, 12)
                        + "…, which the archive does not contain"));
    }

    @Test
    void entryNamesWithDotDotAreRefused(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("climb.tar");
        IMAGE.writeDockerLegacy(tar, false);
        List<Entry> entries = new ArrayList<>(List.of(Entry.file("../../etc/cron.d/x", "* * * * * root sh")));
        Path evil = dir.resolve("evil.tar");
        entries.add(Entry.file("manifest.json", "[]"));
        FixtureImage.writeTar(evil, entries);
        assertThat(errors(evil, true)).allSatisfy(m -> assertThat(m)
                .isEqualTo("entry '../../etc/cron.d/x' has '..' in its path; refusing the archive"));
    }

    @Test
    void severalImagesInOneArchiveAreRefusedNamingThem(@TempDir Path dir) throws Exception {
        FixtureImage other = FixtureImage.builder().layer(Map.of("b", "b")).tag("demo/other:2").build();
        Path tar = dir.resolve("two.tar");
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file("a.json", IMAGE.config()));
        entries.add(Entry.file("b.json", other.config()));
        entries.add(Entry.file("a/layer.tar", IMAGE.layers().get(0)));
        entries.add(Entry.file("b/layer.tar", other.layers().get(0)));
        ArrayNode m = JSON.createArrayNode();
        image(m, "a.json", "demo/app:1.0", "a/layer.tar");
        image(m, "b.json", "demo/other:2", "b/layer.tar");
        image(m, "a.json", "demo/app:latest", "a/layer.tar"); // the same image under a second name is one image
        entries.add(Entry.file("manifest.json", FixtureImage.bytes(m)));
        FixtureImage.writeTar(tar, entries);
        assertThat(errors(tar, true)).allSatisfy(msg -> assertThat(msg).isEqualTo("holds 2 images (demo/app:1.0,"
                + " demo/other:2); posture reads one image per archive: save them separately"));
    }

    @Test
    void aTarThatIsNoImageArchive(@TempDir Path dir) throws Exception {
        Path layer = dir.resolve("layer.tar");
        Files.write(layer, IMAGE.layers().get(1)); // a layer given where an image was expected
        assertThat(errors(layer, true)).allSatisfy(m -> assertThat(m)
                .isEqualTo("neither manifest.json nor index.json in it: not a docker save or OCI image archive"));
    }

    @Test
    void brokenManifestJsonDuplicateEntriesAndLinkLoops(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.tar");
        FixtureImage.writeTar(broken, List.of(Entry.file("manifest.json", "[{\"Config\": \"password=hunter2")));
        assertThat(errors(broken, false)).allSatisfy(m -> assertThat(m)
                .startsWith("manifest.json is not valid JSON (line 1").doesNotContain("hunter2"));
        Path twice = dir.resolve("twice.tar");
        FixtureImage.writeTar(twice, List.of(Entry.file("manifest.json", "[]"), Entry.file("./manifest.json", "[]")));
        assertThat(errors(twice, false)).allSatisfy(m -> assertThat(m)
                .isEqualTo("entry manifest.json occurs twice in the archive"));
        Path loop = dir.resolve("loop.tar");
        FixtureImage.writeTar(loop, List.of(Entry.file("c.json", IMAGE.config()),
                Entry.symlink("a/layer.tar", "../b/layer.tar"), Entry.symlink("b/layer.tar", "../a/layer.tar"),
                manifest("c.json", "a/layer.tar")));
        assertThat(errors(loop, false)).allSatisfy(m -> assertThat(m)
                .isEqualTo("entry a/layer.tar is a loop of links"));
    }

    @Test
    void tooManyEntriesOrTooMuchJson(@TempDir Path dir) throws Exception {
        List<Entry> many = new ArrayList<>();
        for (int i = 0; i <= ArchiveContents.MAX_ENTRIES; i++) {
            many.add(Entry.symlink("l" + i, "x"));
        }
        Path tar = dir.resolve("many.tar");
        FixtureImage.writeTar(tar, many);
        assertThat(errors(tar, false)).allSatisfy(m -> assertThat(m)
                .isEqualTo("more than 100000 entries; not an image archive posture reads"));
        byte[] json = ("{\"k\":\"" + "x".repeat((8 << 20) - 16) + "\"}").getBytes(StandardCharsets.UTF_8);
        List<Entry> big = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            big.add(Entry.file("c" + i + ".json", json));
        }
        Path fat = dir.resolve("fat.tar");
        FixtureImage.writeTar(fat, big);
        assertThat(errors(fat, false)).allSatisfy(m -> assertThat(m)
                .isEqualTo("more than 64 MiB of JSON entries; not an image archive posture reads"));
    }

    static void image(ArrayNode manifest, String config, String tag, String layer) {
        var image = manifest.addObject().put("Config", config);
        image.putArray("RepoTags").add(tag);
        image.putArray("Layers").add(layer);
    }

    static Entry manifest(String config, String... layers) {
        ArrayNode m = JSON.createArrayNode();
        ArrayNode ls = m.addObject().put("Config", config).putArray("Layers");
        Arrays.stream(layers).forEach(ls::add);
        return Entry.file("manifest.json", FixtureImage.bytes(m));
    }
}
