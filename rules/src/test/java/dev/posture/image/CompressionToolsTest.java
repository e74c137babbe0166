package dev.posture.image;

import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.LayerFacts;
import dev.posture.image.testing.TestImage;
import dev.posture.image.testing.TestLayers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layers compressed by the real tools, as builders write them: several gzip members back to back (pigz, chunked
 * writers), several zstd frames, high levels and long windows.
 */
class CompressionToolsTest {

    static TestLayers layer() {
        TestLayers l = TestLayers.layer().dir("usr", 0755).dir("usr/bin", 0755);
        for (int i = 0; i < 200; i++) {
            l.file("usr/bin/tool" + i, 0755, ("#!/bin/sh\necho tool " + i + "\n").repeat(40));
        }
        return l.file("usr/bin/sudo", 04755, "ELF");
    }

    static byte[] tool(byte[] input, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            Assumptions.abort(command[0] + " is not installed");
            throw e;
        }
        Thread feed = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException ignored) {
                // the tool died: its exit code says so
            }
        });
        feed.start();
        byte[] out = p.getInputStream().readAllBytes();
        feed.join();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
        return out;
    }

    /** The tar cut in three, each part compressed alone, the results concatenated. */
    static byte[] members(byte[] tar, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int third = tar.length / 3;
        for (int start = 0; start < tar.length; start += third) {
            out.writeBytes(tool(Arrays.copyOfRange(tar, start, Math.min(tar.length, start + third)), command));
        }
        return out.toByteArray();
    }

    @Test
    void gzipMembersBackToBack() throws Exception {
        byte[] tar = layer().tar();
        ImageFacts f = new TestImage().layer(tar, members(tar, "gzip", "-c", "-9")).inspect();
        check(f, tar, "gzip");
    }

    @Test
    void zstdFramesAndLongWindows() throws Exception {
        byte[] tar = layer().tar();
        check(new TestImage().layer(tar, members(tar, "zstd", "-c", "-q", "-19")).inspect(), tar, "zstd");
        check(new TestImage().layer(tar, tool(tar, "zstd", "-c", "-q", "--long=27", "-3")).inspect(), tar, "zstd");
    }

    private static void check(ImageFacts f, byte[] tar, String compression) {
        LayerFacts l = f.layers().get(0);
        assertThat(l.compression()).isEqualTo(compression);
        assertThat(l.uncompressedSize()).isEqualTo(tar.length);
        assertThat(l.entries()).isEqualTo(203);
        assertThat(f.files().setuid()).extracting(e -> e.path()).isEqualTo(List.of("/usr/bin/sudo"));
        assertThat(f.files().tools()).containsExactly("/usr/bin/sudo");
    }
}
