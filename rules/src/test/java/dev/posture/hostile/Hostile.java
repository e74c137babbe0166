package dev.posture.hostile;

import dev.posture.iam.catalog.Catalogs;
import dev.posture.model.Finding;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ProgressListener;
import dev.posture.scan.ScanRequest;
import dev.posture.scan.ScanResult;
import dev.posture.scan.Scanner;
import dev.posture.serverless.ServerlessAnalyzer;
import dev.posture.triage.Triage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real scanner with the real serverless analyzer over hostile inputs, and the checks every case shares. */
final class Hostile {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    private Hostile() {
    }

    static Scanner scanner() {
        return new Scanner(List.of(new ServerlessAnalyzer(Catalogs::bundled, null, CLOCK)), 2, CLOCK,
                ProgressListener.NONE, "test");
    }

    static ScanResult scan(Path... paths) {
        return scan("", paths);
    }

    static ScanResult scan(String stdin, Path... paths) {
        List<String> names = Arrays.stream(paths).map(Path::toString).toList();
        return scanner().scan(new ScanRequest(names, List.of(), false,
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), "/"),
                new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
    }

    static ScanResult scanStdin(byte[] stdin) {
        return scanner().scan(new ScanRequest(List.of("-"), List.of(), false, new ByteArrayInputStream(stdin), "/"),
                new Triage(List.of(), null, LocalDate.of(2026, 11, 26)));
    }

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one target of a single-file scan, after checking the invariants every hostile scan keeps. */
    static Target only(ScanResult r) {
        assertThat(r.targets()).hasSize(1);
        checkInvariants(r);
        return r.targets().get(0);
    }

    /** Asserts the file became a failed target whose one-line error names it, and the scan is incomplete. */
    static Target failed(ScanResult r, Path file, String... messageParts) {
        Target t = target(r, file);
        assertThat(t.status()).as("status of %s: %s", file.getFileName(), t.error()).isEqualTo(TargetStatus.FAILED);
        assertThat(t.error()).startsWith(file.toString()).doesNotContain("\n", "\tat ", "Exception");
        assertThat(t.error()).contains(messageParts);
        assertThat(r.incomplete()).isTrue();
        checkInvariants(r);
        return t;
    }

    static Target scanned(ScanResult r, Path file) {
        Target t = target(r, file);
        assertThat(t.status()).as("status of %s: %s", file.getFileName(), t.error()).isEqualTo(TargetStatus.SCANNED);
        checkInvariants(r);
        return t;
    }

    static Target skipped(ScanResult r, Path file, String... reasonParts) {
        Target t = target(r, file);
        assertThat(t.status()).as("status of %s: %s", file.getFileName(), t.error()).isEqualTo(TargetStatus.SKIPPED);
        assertThat(t.error()).isNotBlank().contains(reasonParts).doesNotContain("\n");
        checkInvariants(r);
        return t;
    }

    /** Asserts the file is listed as unrecognised (no target, no failure) with a one-line reason. */
    static void unrecognised(ScanResult r, Path file, String... reasonParts) {
        assertThat(r.targets()).as("targets").noneMatch(t -> t.name().equals(file.toString()));
        var u = r.unrecognised().stream().filter(x -> x.path().equals(file.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("not listed as unrecognised: " + file + " in " + r.unrecognised()));
        assertThat(u.reason()).isNotBlank().contains(reasonParts).doesNotContain("\n");
        checkInvariants(r);
    }

    static Target target(ScanResult r, Path file) {
        return r.targets().stream().filter(t -> t.name().equals(file.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no target for " + file + " in " + r.targets()));
    }

    /** Nothing internal leaks: no analyzer crash, every failure and skip has a one-line reason. */
    static void checkInvariants(ScanResult r) {
        for (Target t : r.targets()) {
            if (t.status() != TargetStatus.SCANNED) {
                assertThat(t.error()).as("reason of %s", t.name()).isNotBlank()
                        .doesNotContain("internal error", "\n", "\tat ");
            }
        }
    }

    /** Messages of the input-warning findings (parts of an input that were skipped, and why). */
    static List<String> inputWarnings(ScanResult r) {
        return r.findings().stream().filter(f -> f.rule().id().equals("input-warning")).map(Finding::message).toList();
    }

    static String repeat(String s, int n) {
        return s.repeat(n);
    }
}
