package dev.posture.sbom;

import dev.posture.image.facts.OsPackage;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.source.ImageReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.posture.sbom.TestImages.ALPINE;
import static dev.posture.sbom.TestImages.DEBIAN_12;
import static dev.posture.sbom.TestImages.deb;
import static org.assertj.core.api.Assertions.assertThat;

class PackageUrlsTest {

    @Test
    void debEpochMovesToAQualifierAndPlusIsEncoded() {
        assertThat(PackageUrls.of(deb("login", "1:4.13+dfsg1-1+b1", "amd64", "shadow", "1:4.13+dfsg1-1"), DEBIAN_12))
                .isEqualTo("pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12&epoch=1");
        assertThat(PackageUrls.of(deb("libc6", "2.36-9+deb12u7", "amd64", "glibc", "2.36-9+deb12u7"), DEBIAN_12))
                .isEqualTo("pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12");
        // '~' is unreserved: kept; '+' in a name is encoded too
        assertThat(PackageUrls.of(deb("libssl3", "3.0.11-1~deb12u2", "amd64", "openssl", "x"), DEBIAN_12))
                .isEqualTo("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
        assertThat(PackageUrls.of(deb("libstdc++6", "12.2.0-14", "amd64", "gcc-12", "x"), DEBIAN_12))
                .isEqualTo("pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12");
        // an epoch with a colon later in the upstream version: only the first one separates the epoch
        assertThat(PackageUrls.of(deb("x", "2:1.0:rc1-1", "all", "x", "x"), DEBIAN_12))
                .isEqualTo("pkg:deb/debian/x@1.0%3Arc1-1?arch=all&distro=debian-12&epoch=2");
    }

    @Test
    void namespaceAndDistroFromOsRelease() {
        OsRelease ubuntu = new OsRelease("ubuntu", "debian", "22.04", "jammy", "Ubuntu 22.04.4 LTS", "/etc/os-release");
        assertThat(PackageUrls.of(deb("bash", "5.1-6ubuntu1.1", "amd64", "bash", "x"), ubuntu))
                .isEqualTo("pkg:deb/ubuntu/bash@5.1-6ubuntu1.1?arch=amd64&distro=ubuntu-22.04");
        // Debian testing has no VERSION_ID: the codename
        OsRelease trixie = new OsRelease("debian", null, null, "trixie", "Debian GNU/Linux trixie/sid", "p");
        assertThat(PackageUrls.of(deb("bash", "5.2.21-2", "amd64", "bash", "x"), trixie))
                .isEqualTo("pkg:deb/debian/bash@5.2.21-2?arch=amd64&distro=debian-trixie");
        // no os-release: no namespace rather than a guessed one, no distro
        assertThat(PackageUrls.of(deb("bash", "5.2.15-2+b2", null, "bash", "x"), null))
                .isEqualTo("pkg:deb/bash@5.2.15-2%2Bb2");
    }

    @Test
    void apkAndRpmAndUnknownManagers() {
        OsPackage busybox = new OsPackage("apk", "busybox", "1.36.1-r29", "x86_64", "busybox", "1.36.1-r29",
                "/lib/apk/db/installed");
        assertThat(PackageUrls.of(busybox, ALPINE))
                .isEqualTo("pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.1");
        OsRelease fedora = new OsRelease("fedora", null, "40", null, "Fedora Linux 40", "p");
        assertThat(PackageUrls.of(new OsPackage("rpm", "NetworkManager", "1:1.46.0-1.fc40", "x86_64",
                "NetworkManager", "1:1.46.0-1.fc40", "/var/lib/rpm"), fedora))
                .isEqualTo("pkg:rpm/fedora/NetworkManager@1.46.0-1.fc40?arch=x86_64&distro=fedora-40&epoch=1");
        assertThat(PackageUrls.of(new OsPackage("pacman", "x", "1", "x86_64", "x", "1", "p"), ALPINE)).isNull();
    }

    @Test
    void imagePurlNeedsAReferenceAndAManifestDigest() {
        assertThat(PackageUrls.ofImage(TestImages.debian())).isEqualTo("pkg:oci/storefront@"
                + TestImages.MANIFEST.replace(":", "%3A")
                + "?arch=amd64&repository_url=localhost%3A5000%2Fshop%2Fstorefront&tag=1.0");
        assertThat(PackageUrls.ofImage(TestImages.image("alpine:3.20", ImageReference.parse("alpine:3.20"),
                TestImages.MANIFEST, ALPINE, List.of())))
                .contains("pkg:oci/alpine@sha256%3A7d6f", "repository_url=docker.io%2Flibrary%2Falpine");
        // a legacy docker save archive: no manifest digest, no purl (the image ID names nothing a registry serves)
        assertThat(PackageUrls.ofImage(TestImages.image("x.tar", ImageReference.parse("shop/x:1"), null, null,
                List.of()))).isNull();
        assertThat(PackageUrls.ofImage(TestImages.image("x.tar", null, TestImages.MANIFEST, null, List.of())))
                .isNull();
    }
}
