package dev.posture.hostile;

import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ScanResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.posture.hostile.Hostile.failed;
import static dev.posture.hostile.Hostile.scan;
import static dev.posture.hostile.Hostile.scanned;
import static dev.posture.hostile.Hostile.skipped;
import static dev.posture.hostile.Hostile.unrecognised;
import static dev.posture.hostile.Hostile.inputWarnings;
import static dev.posture.hostile.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostile files and directory entries: every one ends as a target, the scan never blocks or runs out of memory. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileFilesTest {
    private static final String POLICY = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";

    @Test
    void emptyFilesAreUnrecognisedNamedOrWalked(@TempDir Path dir) {
        // an empty secrets.json is common in real repositories: no input, and no reason to fail CI
        Path named = write(dir, "named.yaml", "");
        Path walked = write(dir.resolve("d"), "walked.json", "");
        ScanResult r = scan(named, dir.resolve("d"));
        unrecognised(r, named, "empty file");
        unrecognised(r, walked, "empty file");
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void aDirectoryNamedLikeAFile(@TempDir Path dir) throws IOException {
        Path x = Files.createDirectory(dir.resolve("x.json"));
        Path ok = write(dir, "ok.json", POLICY);
        ScanResult r = scan(x, ok);
        skipped(r, x, "directory holds no files to scan");
        scanned(r, ok);
        // walked, it is a directory like any other: its files are scanned
        write(x, "inner.json", POLICY);
        ScanResult walked = scan(dir);
        scanned(walked, Path.of(dir + "/x.json/inner.json"));
        assertThat(walked.targets()).hasSize(2);
    }

    @Test
    void symlinkLoopsAndBrokenLinksDoNotHangTheWalk(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path ok = write(root, "ok.json", POLICY);
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));               // directory loop
        Files.createSymbolicLink(root.resolve("self.yaml"), Path.of("self.yaml")); // link to itself
        Files.createSymbolicLink(root.resolve("a.yaml"), Path.of("b.yaml"));       // a -> b -> a
        Files.createSymbolicLink(root.resolve("b.yaml"), Path.of("a.yaml"));
        Files.createSymbolicLink(root.resolve("gone.json"), Path.of("nowhere.json"));
        Files.createSymbolicLink(root.resolve("dir.json"), Path.of("."));
        Files.createSymbolicLink(root.resolve("linked.json"), Path.of("ok.json"));  // followed
        ScanResult r = scan(root);
        scanned(r, ok);
        scanned(r, root.resolve("linked.json"));
        skipped(r, root.resolve("self.yaml"), "broken or looping symbolic link");
        skipped(r, root.resolve("a.yaml"), "broken or looping symbolic link");
        skipped(r, root.resolve("gone.json"), "broken or looping symbolic link");
        skipped(r, root.resolve("dir.json"), "walked already");
        skipped(r, root.resolve("up"), "outside the scanned directory; not followed");
        assertThat(r.targets()).hasSize(8);
        assertThat(r.incomplete()).isFalse();
        // named explicitly, a looping link is a failed target
        ScanResult named = scan(root.resolve("self.yaml"));
        failed(named, root.resolve("self.yaml"), "broken or looping symbolic link");
    }

    @Test
    void symlinkedDirectoriesAreScannedNotSilentlyPassed(@TempDir Path dir) throws IOException {
        // a repository whose infra/ is a link to the templates: the gate must see them
        Path real = Files.createDirectories(dir.resolve("repo/real-infra"));
        write(real, "policy.json", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        Path infra = Files.createSymbolicLink(dir.resolve("repo/infra"), Path.of("real-infra"));
        // a link named without an extension, to a template: judged by its target
        Files.createSymbolicLink(real.resolve("current"), Path.of("policy.json"));
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        write(outside, "other.json", POLICY);
        Files.createSymbolicLink(real.resolve("escape"), Path.of("../../elsewhere"));
        Files.createSymbolicLink(real.resolve("escape.json"), Path.of("../../elsewhere/other.json"));
        ScanResult r = scan(infra);
        scanned(r, infra.resolve("policy.json"));
        scanned(r, infra.resolve("current"));
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.rule().id()).isEqualTo("wildcard-admin"));
        skipped(r, infra.resolve("escape"), "outside the scanned directory");
        skipped(r, infra.resolve("escape.json"), "outside the scanned directory");
        assertThat(r.targets()).extracting(Target::name).noneMatch(n -> n.contains("other.json"));
        // a link inside the walk to a directory inside the root is followed
        Path sub = Files.createDirectories(dir.resolve("repo2/templates"));
        write(sub, "t.json", POLICY);
        Files.createSymbolicLink(dir.resolve("repo2/alias"), Path.of("templates"));
        ScanResult r2 = scan(dir.resolve("repo2"));
        assertThat(r2.targets()).extracting(Target::name).contains(dir.resolve("repo2/templates/t.json").toString());
        skipped(r2, dir.resolve("repo2/alias"), "walked already");
    }

    @Test
    void unreadableFiles(@TempDir Path dir) throws IOException {
        Path f = write(dir, "secret.json", POLICY);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        ScanResult r = scan(f, dir);
        if (Files.isReadable(f)) {
            // running as root: mode 000 is still readable, and it is scanned
            assertThat(r.targets()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TargetStatus.SCANNED));
        } else {
            failed(r, f, "not readable");
        }
        assertThat(r.targets()).hasSize(1); // named and walked: one target
    }

    @Test
    void stdinTwiceIsReadOnceAndAnEmptyPathIsAnError(@TempDir Path dir) {
        ScanResult twice = dev.posture.hostile.Hostile.scanner().scan(new dev.posture.scan.ScanRequest(
                java.util.List.of("-", "-", ""), java.util.List.of(), false,
                new java.io.ByteArrayInputStream(POLICY.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "/"),
                new dev.posture.triage.Triage(java.util.List.of(), null, java.time.LocalDate.of(2026, 11, 26)));
        assertThat(twice.targets()).extracting(Target::name, Target::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("-", TargetStatus.SCANNED),
                org.assertj.core.groups.Tuple.tuple("''", TargetStatus.FAILED));
    }

    @Test
    void fifoIsNeverOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("x.yaml");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        Path ok = write(dir, "ok.json", POLICY);
        // walked: skipped with the reason, the rest is scanned
        ScanResult walked = scan(dir);
        skipped(walked, fifo, "not a regular file");
        scanned(walked, ok);
        assertThat(walked.incomplete()).isFalse();
        // named: fails clearly (reading a pipe without a writer would block forever)
        ScanResult named = scan(fifo, ok);
        failed(named, fifo, "not a regular file", "posture scan -");
        scanned(named, ok);
    }

    @Test
    void sixtyMegabyteFileFailsWithoutBeingRead(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.json");
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write("{\"Statement\": \"".getBytes());
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 60; i++) {
                out.write(chunk);
            }
            out.write("\"}".getBytes());
        }
        Path ok = write(dir, "ok.json", POLICY);
        ScanResult r = scan(big, ok);
        failed(r, big, "over the 52428800-byte limit");
        scanned(r, ok);
        // walked too
        ScanResult walked = scan(dir);
        failed(walked, big, "over the 52428800-byte limit");
    }

    @Test
    void gzipBombIsNeverInflated(@TempDir Path dir) throws IOException {
        // 200 MB in ~200 KB; only the first tar header (512 bytes) is ever inflated to tell an archive
        Path bomb = dir.resolve("image.tar.gz");
        Path disguised = dir.resolve("policy.json");
        Path zeros = dir.resolve("zeros.json.gz");
        for (Path p : new Path[] {bomb, disguised, zeros}) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                if (p != zeros) {
                    out.write(tarHeader("manifest.json"));
                }
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < 200; i++) {
                    out.write(block);
                }
            }
        }
        ScanResult r = scan(dir);
        skipped(r, bomb, "image archive");
        skipped(r, disguised, "image archive");
        // gzip of something that is not a tar (botocore ships data as .json.gz): no image, no input
        unrecognised(r, zeros, "not a tar archive");
        ScanResult named = scan(bomb);
        skipped(named, bomb, "image archive");
    }

    /** A minimal ustar header for one file entry. */
    private static byte[] tarHeader(String name) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] magic = "ustar\u000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        return h;
    }

    @Test
    void binaryFilesAreUnrecognisedWhateverTheirName(@TempDir Path dir) {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0};
        Path json = write(dir, "blob.json", elf);
        Path gz = write(dir, "notgzip.gz", elf);
        Path tar = write(dir, "old.tar", new byte[] {'a', 0, 'b'});
        Path ignored = write(dir, "README.bin", elf);
        ScanResult r = scan(dir);
        unrecognised(r, json, "binary content");
        unrecognised(r, gz, "binary content");
        unrecognised(r, tar, "binary content");
        assertThat(r.targets()).isEmpty();
        assertThat(r.unrecognised()).extracting(u -> u.path()).doesNotContain(ignored.toString());
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void everyHostileFileInOneDirectoryEndsAsATarget(@TempDir Path dir) throws IOException {
        write(dir, "laughs.yaml", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                + "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n");
        write(dir, "deep.json", "{\"Statement\":" + "[".repeat(100_000));
        write(dir, "trunc.json", "{\"Statement\": [");
        write(dir, "empty.yaml", "");
        write(dir, "nul.yml", new byte[] {'a', ':', 0});
        write(dir, "bad.template", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xfd});
        write(dir, "ok.json", POLICY);
        write(dir, "unrelated.json", "{\"name\": \"package\"}");
        ScanResult r = scan(dir);
        // candidates that cannot be read fail; what is no input at all is listed, never lost
        assertThat(r.targets()).extracting(Target::name).containsExactlyInAnyOrder(
                dir + "/deep.json", dir + "/trunc.json", dir + "/ok.json");
        assertThat(r.targets()).filteredOn(t -> t.status() == TargetStatus.FAILED).hasSize(2)
                .allSatisfy(t -> assertThat(t.error()).startsWith(t.name() + ":").doesNotContain("\n"));
        assertThat(r.unrecognised()).extracting(u -> u.path()).containsExactlyInAnyOrder(
                dir + "/laughs.yaml", dir + "/empty.yaml", dir + "/nul.yml", dir + "/bad.template",
                dir + "/unrelated.json");
        assertThat(r.incomplete()).isTrue();
    }
}
