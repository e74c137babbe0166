package dev.posture.image;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.LayerDescriptor;
import dev.posture.image.testing.HostileTars;
import dev.posture.image.testing.TestImage;
import dev.posture.image.testing.TestImage.Wrap;
import dev.posture.image.testing.TestLayers;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad input fails the image with one line naming the image and the layer; nothing else throws. */
class HostileImageTest {
    static final String IMAGE = "test/image:1.0: ";

    static TestLayers ok() {
        return TestLayers.layer().dir("etc", 0755).file("etc/hostname", 0644, "box\n");
    }

    static void fails(TestImage img, String messageRegex) {
        fails(img, ImageLimits.DEFAULT, messageRegex);
    }

    static void fails(TestImage img, ImageLimits limits, String messageRegex) {
        assertThatThrownBy(() -> img.inspect(limits)).isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(e.getMessage()).matches(messageRegex).doesNotContain("\n"));
    }

    @Test
    void truncatedGzip() {
        byte[] tar = ok().tar();
        byte[] gz = TestLayers.gzip(tar);
        fails(new TestImage().layer(ok()).layer(tar, Arrays.copyOf(gz, gz.length - 12)),
                IMAGE + "layer 1 \\(sha256:[0-9a-f]{12}\\) is truncated or corrupt \\(gzip: .*\\)");
    }

    @Test
    void truncatedZstd() {
        byte[] tar = TestLayers.layer().file("a", 0644, "x".repeat(5000)).tar();
        byte[] z = TestLayers.zstd(tar);
        fails(new TestImage().layer(tar, Arrays.copyOf(z, z.length / 2)),
                IMAGE + "layer 0 \\(sha256:[0-9a-f]{12}\\) is (truncated or corrupt|not a readable zstd).*");
    }

    @Test
    void corruptTar() {
        byte[] tar = ok().tar();
        tar[148] ^= 0x55; // the header checksum
        tar[0] = 'X';
        fails(new TestImage().layer(tar, TestLayers.gzip(tar)),
                IMAGE + "layer 0 \\(sha256:[0-9a-f]{12}\\) is not a readable gzip-compressed tar archive \\(.+\\)");
    }

    @Test
    void tarTruncatedInsideAFile() {
        byte[] tar = TestLayers.layer().file("a", 0644, "x".repeat(5000)).tar();
        byte[] cut = Arrays.copyOf(tar, 2048);
        fails(new TestImage().legacy().layer(cut, cut),
                IMAGE + "layer 0 \\([0-9a-f]{64}/layer.tar\\) is truncated or corrupt \\(tar: .*\\)");
    }

    @Test
    void entryClimbingOutOfTheRoot() {
        fails(new TestImage().layer(ok()).layer(TestLayers.layer().raw("../../etc/x", "pwned")),
                IMAGE + "layer 1 \\(sha256:[0-9a-f]{12}\\) has an entry '../../etc/x' outside the image root");
    }

    @Test
    void absoluteEntry() {
        fails(new TestImage().layer(TestLayers.layer().raw("/etc/cron.d/x", "pwned")),
                IMAGE + "layer 0 \\(sha256:[0-9a-f]{12}\\) has an entry '/etc/cron.d/x' outside the image root"
                        + " \\(an absolute path\\)");
    }

    @Test
    void hardLinkOutOfTheRoot() {
        fails(new TestImage().layer(TestLayers.layer().hardlink("etc/x", "../../../etc/shadow")),
                IMAGE + "layer 0 .* has a hard link to '../../../etc/shadow' outside the image root");
    }

    @Test
    void symlinkLoopOnOsRelease() {
        fails(new TestImage().layer(TestLayers.layer().symlink("etc/os-release", "../usr/lib/os-release")
                        .symlink("usr/lib/os-release", "/etc/os-release")),
                IMAGE + "/etc/os-release: more than 40 symbolic links \\(a loop\\?\\)");
    }

    @Test
    void decompressionBomb() {
        byte[] zeros = new byte[4 << 20];
        byte[] tar = TestLayers.layer().file("zeros", 0644, 0, 0, zeros).tar();
        ImageLimits limits = new ImageLimits(1L << 40, 100, 1 << 20, 1000, 1 << 20);
        fails(new TestImage().layer(ok()).layer(tar, TestLayers.gzip(tar)), limits,
                IMAGE + "layer 1 \\(sha256:[0-9a-f]{12}\\) expands more than 100× \\(\\d+ bytes from \\d+ stored\\):"
                        + " refusing \\(decompression bomb\\?\\)");
        // zstd reaches far higher ratios than gzip's 1032:1: the same guard
        fails(new TestImage().layer(tar, TestLayers.zstd(tar)), limits,
                IMAGE + "layer 0 \\(sha256:[0-9a-f]{12}\\) expands more than 100× .*");
        // the same layer under the floor is fine
        ImageLimits highFloor = new ImageLimits(1L << 40, 100, 64 << 20, 1000, 1 << 20);
        assertThat(catchFacts(new TestImage().layer(tar, TestLayers.gzip(tar)), highFloor)).isNotNull();
    }

    @Test
    void totalUncompressedBytesAndEntries() {
        byte[] tar = TestLayers.layer().file("big", 0644, 0, 0, new byte[200_000]).tar();
        fails(new TestImage().layer(ok()).layer(tar, TestLayers.gzip(tar)),
                new ImageLimits(100_000, 1000, 1 << 20, 1000, 1 << 20),
                IMAGE + "layer 1 \\(sha256:[0-9a-f]{12}\\) takes the image past 100000 uncompressed bytes: refusing"
                        + " \\(decompression bomb\\?\\)");
        TestLayers many = TestLayers.layer();
        for (int i = 0; i < 30; i++) {
            many.file("f" + i, 0644, "x");
        }
        fails(new TestImage().layer(many), new ImageLimits(1 << 30, 1000, 1 << 20, 20, 1 << 20),
                IMAGE + "layer 0 \\(sha256:[0-9a-f]{12}\\) takes the image past 20 tar entries: refusing");
    }

    @Test
    void headersOverAMegabyteForOneEntry() {
        String refused = IMAGE + "layer 0 \\(sha256:[0-9a-f]{12}\\) has an entry with more than 1048576 bytes of"
                + " headers \\(PAX records, long names, sparse maps\\): refusing";
        for (byte[] tar : List.of(HostileTars.paxValue(5 << 20), HostileTars.gnuLongName(5 << 20),
                HostileTars.paxChain(5000), HostileTars.oldGnuSparse(5000))) {
            fails(new TestImage().layer(tar, TestLayers.gzip(tar)), refused);
        }
    }

    @Test
    void longButSaneNamesAreRead() throws Exception {
        String dir = "d/".repeat(1500);
        ImageFacts f = new TestImage().layer(TestLayers.layer().file(dir + ".git/config", 0644, "[core]")).inspect();
        assertThat(f.files().unnecessary()).containsExactly("/" + dir + ".git");
        byte[] pax = HostileTars.paxValue(100_000);
        assertThat(catchFacts(new TestImage().layer(pax, TestLayers.gzip(pax)), ImageLimits.DEFAULT).files().count())
                .isEqualTo(1);
    }

    @Test
    void missingBlob() {
        fails(new TestImage().layer(ok()).layer(ok()).tamper(m -> withLayers(m, List.of(m.layers().get(0),
                        new LayerDescriptor("sha256:" + "0".repeat(64), "sha256:" + "0".repeat(64), 10, null)))),
                IMAGE + "the manifest lists layer 1 \\(sha256:000000000000\\) but the source delivered no such blob");
    }

    @Test
    void layerDigestMismatch() {
        fails(new TestImage().layer(ok()).tamper(m -> withLayers(m, List.of(new LayerDescriptor(
                        m.layers().get(0).key(), "sha256:" + "1".repeat(64), -1, null)))),
                IMAGE + "layer 0 \\(sha256:111111111111\\) has sha256 sha256:[0-9a-f]{64}, not the digest the manifest"
                        + " lists \\(corrupt or tampered\\)");
    }

    @Test
    void diffIdMismatchOfAnUncompressedLayer() {
        fails(new TestImage().legacy().layer(ok(), Wrap.PLAIN)
                        .root(r -> r.putObject("rootfs").putArray("diff_ids").add("sha256:" + "2".repeat(64))),
                IMAGE + "layer 0 \\([0-9a-f]{64}/layer.tar\\) has sha256 sha256:[0-9a-f]{64}, not its diff_id"
                        + " sha256:2{64} from the config \\(corrupt or tampered\\)");
    }

    @Test
    void configDigestMismatch() {
        fails(new TestImage().layer(ok()).tamper(m -> new ImageManifest(m.manifestDigest(), m.mediaType(),
                        m.config(), "sha256:" + "3".repeat(64), m.layers(), m.repoTags())),
                IMAGE + "the config's sha256 is sha256:[0-9a-f]{64}, not sha256:3{64} as the manifest says"
                        + " \\(corrupt or tampered\\)");
    }

    @Test
    void layerCountDifferentFromDiffIds() {
        fails(new TestImage().layer(ok()).layer(ok())
                        .root(r -> r.putObject("rootfs").putArray("diff_ids").add("sha256:" + "4".repeat(64))),
                IMAGE + "the manifest lists 2 layer\\(s\\) but the config's rootfs.diff_ids lists 1");
    }

    @Test
    void configThatIsNotJson() {
        fails(new TestImage().layer(ok()).tamper(m -> new ImageManifest(null, null, "{not json".getBytes(), null,
                        m.layers(), List.of())),
                IMAGE + "the image config is not valid JSON \\(.+\\)");
    }

    @Test
    void aBlobThatIsNoLayerDoesNotFailTheImage() throws Exception {
        ImageFacts f = new TestImage().layer(ok())
                .extraBlob("abc.json", "{\"architecture\": \"amd64\"}".getBytes())
                .extraBlob("junk.gz", Arrays.copyOf(TestLayers.gzip(new byte[100]), 10))
                .inspect();
        assertThat(f.layers()).hasSize(1);
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void aCaptureOverItsLimitIsTruncatedWithAWarning() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append("Package: p").append(i % 10).append("\nStatus: install ok installed\nVersion: 1\n\n");
        }
        String status = sb.toString(); // 50 bytes a stanza: 20 whole ones in the first 1000 bytes
        ImageFacts f = new TestImage().layer(TestLayers.layer().file("var/lib/dpkg/status", 0644, status))
                .inspect(new ImageLimits(1 << 30, 1000, 1 << 20, 1000, 1000));
        assertThat(f.warnings()).containsExactly("layer 0: /var/lib/dpkg/status is " + status.length()
                + " bytes; only the first 1000 were read");
        assertThat(f.packages()).isNotEmpty().hasSizeLessThan(20); // the whole stanzas of the first 1000 bytes only
    }

    private static ImageFacts catchFacts(TestImage img, ImageLimits limits) {
        try {
            return img.inspect(limits);
        } catch (ImageException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static ImageManifest withLayers(ImageManifest m, List<LayerDescriptor> layers) {
        return new ImageManifest(m.manifestDigest(), m.mediaType(), m.config(), m.configDigest(), layers, m.repoTags());
    }
}
