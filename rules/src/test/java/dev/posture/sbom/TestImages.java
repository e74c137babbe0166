package dev.posture.sbom;

import dev.posture.image.facts.Accounts;
import dev.posture.image.facts.FileFacts;
import dev.posture.image.facts.ImageConfig;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.source.ImageReference;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hand-built image facts for the SBOM tests. */
final class TestImages {
    static final String CONFIG = "sha256:1a2b3c4d5e6f70819293a4b5c6d7e8f90112233445566778899aabbccddeeff0";
    static final String MANIFEST = "sha256:7d6f5e4d3c2b1a0f9e8d7c6b5a49382716050f1e2d3c4b5a6978877665544332";
    static final OsRelease DEBIAN_12 = new OsRelease("debian", null, "12", "bookworm",
            "Debian GNU/Linux 12 (bookworm)", "/etc/os-release");
    static final OsRelease ALPINE = new OsRelease("alpine", null, "3.20.1", null, "Alpine Linux v3.20",
            "/etc/os-release");
    static final String STATUS = "/var/lib/dpkg/status";

    private TestImages() {
    }

    static OsPackage deb(String name, String version, String arch, String source, String sourceVersion) {
        return new OsPackage("dpkg", name, version, arch, source, sourceVersion, STATUS);
    }

    static List<OsPackage> debianPackages() {
        return List.of(
                deb("base-files", "12.4+deb12u5", "amd64", "base-files", "12.4+deb12u5"),
                deb("login", "1:4.13+dfsg1-1+b1", "amd64", "shadow", "1:4.13+dfsg1-1"),
                deb("libc6", "2.36-9+deb12u7", "amd64", "glibc", "2.36-9+deb12u7"),
                deb("libc6", "2.36-9+deb12u7", "i386", "glibc", "2.36-9+deb12u7"),
                deb("libssl3", "3.0.11-1~deb12u2", "amd64", "openssl", "3.0.11-1~deb12u2"),
                deb("libstdc++6", "12.2.0-14", "amd64", "gcc-12", "12.2.0-14"),
                deb("tzdata", "2024a-0+deb12u1", "all", "tzdata", "2024a-0+deb12u1"),
                deb("perl-base", "5.36.0-7+deb12u1", "amd64", "perl", "5.36.0-7+deb12u1"),
                // the same package in status and a status.d file: one component
                new OsPackage("dpkg", "tzdata", "2024a-0+deb12u1", "all", "tzdata", "2024a-0+deb12u1",
                        "/var/lib/dpkg/status.d/tzdata"));
    }

    static ImageFacts image(String name, ImageReference ref, String manifestDigest, OsRelease os,
                            List<OsPackage> packages) {
        ImageConfig config = new ImageConfig("", List.of(), List.of(), List.of(), null, false, Map.of(), List.of(),
                List.of("/bin/sh"), "", "linux", "amd64", null);
        FileFacts files = new FileFacts(0, 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), 0, 0);
        return new ImageFacts(name, ref == null ? "archive" : "registry", ref, manifestDigest, CONFIG,
                Instant.parse("2024-03-01T00:00:00Z"), config, List.of(), List.of(), os, Accounts.NONE, packages,
                files, List.of());
    }

    static ImageFacts debian() {
        return image("localhost:5000/shop/storefront:1.0", ImageReference.parse("localhost:5000/shop/storefront:1.0"),
                MANIFEST, DEBIAN_12, debianPackages());
    }
}
