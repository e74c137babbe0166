package dev.posture.image.facts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DpkgStatusTest {
    static final String DB = "/var/lib/dpkg/status";

    // Debian 12 stanzas as dpkg writes them, with the states a real database holds besides "installed"
    static final String STATUS = """
            Package: base-files
            Essential: yes
            Status: install ok installed
            Priority: required
            Section: admin
            Installed-Size: 341
            Maintainer: Santiago Vila <sanvila@debian.org>
            Architecture: amd64
            Multi-Arch: foreign
            Version: 12.4+deb12u5
            Replaces: base, dpkg (<= 1.15.0), miscutils
            Provides: base
            Conffiles:
             /etc/debian_version 0a4e8b5e4a1b6f2b4f5b8c4c8e9f6a4d
             /etc/host.conf 4eb63731c9f5e30903ac4fc07a7fe3d6
            Description: Debian base system miscellaneous files
             This package contains the basic filesystem hierarchy of a Debian system, and
             several important miscellaneous files, such as /etc/debian_version,
             .
             Package: not-a-field-because-indented
            Homepage: https://tracker.debian.org/pkg/base-files

            Package: login
            Essential: yes
            Status: install ok installed
            Priority: required
            Section: admin
            Installed-Size: 2615
            Maintainer: Shadow package maintainers <pkg-shadow-devel@lists.alioth.debian.org>
            Architecture: amd64
            Source: shadow (1:4.13+dfsg1-1)
            Version: 1:4.13+dfsg1-1+b1
            Pre-Depends: libc6 (>= 2.34), libcrypt1 (>= 1:4.1.0), libpam0g (>= 0.99.7.1), libpam-runtime, libpam-modules (>= 1.1.8-1)
            Description: system login tools

            Package: libc6
            Status: install ok installed
            Priority: optional
            Section: libs
            Architecture: amd64
            Multi-Arch: same
            Source: glibc
            Version: 2.36-9+deb12u7
            Description: GNU C Library: Shared libraries

            Package: libc6
            Status: install ok installed
            Architecture: i386
            Multi-Arch: same
            Source: glibc
            Version: 2.36-9+deb12u7
            Description: GNU C Library: Shared libraries

            Package: vim-tiny
            Status: deinstall ok config-files
            Priority: important
            Section: editors
            Architecture: amd64
            Source: vim
            Version: 2:9.0.1378-2
            Config-Version: 2:9.0.1378-2
            Conffiles:
             /etc/vim/vimrc.tiny 3a7ec10d3d4e9e9e6d6b1d9a4b6f5a2e

            Package: curl
            Status: install ok half-installed
            Architecture: amd64
            Version: 7.88.1-10+deb12u5

            Package: wget
            Status: install ok unpacked
            Architecture: amd64
            Version: 1.21.3-1+b2

            Package: gcc-12-base
            Status: hold ok installed
            Architecture: amd64
            Source: gcc-12
            Version: 12.2.0-14
            Description: GCC, the GNU Compiler Collection (base package)

            Package: libgcc-s1
            Status: install ok triggers-pending
            Architecture: amd64
            Source: gcc-12
            Version: 12.2.0-14

            Package: tzdata
            Status: purge ok not-installed
            Priority: required
            Section: localization
            Architecture: all
            """;

    @Test
    void keepsInstalledPackagesInFileOrderWithExactVersions() {
        List<OsPackage> p = DpkgStatus.parse(STATUS, DB);
        assertThat(p).extracting(OsPackage::name)
                .containsExactly("base-files", "login", "libc6", "libc6", "gcc-12-base");
        assertThat(p.get(0)).isEqualTo(new OsPackage("dpkg", "base-files", "12.4+deb12u5", "amd64", "base-files",
                "12.4+deb12u5", DB));
        // epoch kept in the version; the source's own version (a binNMU's differs) taken from the parentheses
        assertThat(p.get(1)).isEqualTo(new OsPackage("dpkg", "login", "1:4.13+dfsg1-1+b1", "amd64", "shadow",
                "1:4.13+dfsg1-1", DB));
        // a Source without a version: the binary's version is the source's
        assertThat(p.get(2)).isEqualTo(new OsPackage("dpkg", "libc6", "2.36-9+deb12u7", "amd64", "glibc",
                "2.36-9+deb12u7", DB));
        assertThat(p.get(3).architecture()).isEqualTo("i386");
        // held packages are installed
        assertThat(p.get(4).sourceName()).isEqualTo("gcc-12");
    }

    @Test
    void crlfAndMixedCaseFieldNamesAndLastStanzaWithoutNewline() {
        String text = "package: a\r\nstatus: install ok installed\r\nVERSION: 1.0-1\r\narchitecture: all\r\n\r\n"
                + "Package: b\r\nStatus: install ok installed\r\nVersion: 2.0~rc1-1";
        List<OsPackage> p = DpkgStatus.parse(text, DB);
        assertThat(p).extracting(OsPackage::name, OsPackage::version, OsPackage::architecture)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "1.0-1", "all"),
                        org.assertj.core.groups.Tuple.tuple("b", "2.0~rc1-1", null));
    }

    @Test
    void statusDFilesWithoutStatusCountEveryStanza() {
        // what distroless writes under /var/lib/dpkg/status.d/: one file per package, no Status field
        String text = """
                Package: libssl3
                Version: 3.0.11-1~deb12u2
                Architecture: amd64
                Source: openssl
                Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>

                Package: tzdata
                Version: 2024a-0+deb12u1
                Architecture: all
                """;
        List<OsPackage> p = DpkgStatus.parse(text, "/var/lib/dpkg/status.d/libssl3");
        assertThat(p).extracting(OsPackage::name).containsExactly("libssl3", "tzdata");
        assertThat(p.get(0).sourceName()).isEqualTo("openssl");
        assertThat(p.get(0).sourceVersion()).isEqualTo("3.0.11-1~deb12u2");
        assertThat(p.get(0).database()).isEqualTo("/var/lib/dpkg/status.d/libssl3");
    }

    @Test
    void damagedStanzasAreSkippedNotTheirNeighbours() {
        String text = """
                Status: install ok installed
                Version: 1.0

                Package: noversion
                Status: install ok installed

                this line is no field
                Package: ok
                Status: install ok installed
                Version: 3

                Package: weird-status
                Status: installed
                Version: 1
                """;
        assertThat(DpkgStatus.parse(text, DB)).extracting(OsPackage::name).containsExactly("ok");
        assertThat(DpkgStatus.parse("", DB)).isEmpty();
        assertThat(DpkgStatus.parse("\n\n\n", DB)).isEmpty();
    }
}
