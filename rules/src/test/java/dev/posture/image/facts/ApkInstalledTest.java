package dev.posture.image.facts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApkInstalledTest {
    static final String DB = "/lib/apk/db/installed";

    // the start of an Alpine 3.20 /lib/apk/db/installed (checksums shortened)
    static final String INSTALLED = """
            C:Q1pCjzdRUbg6ibDmgNJJuSLCdTTSI=
            P:alpine-baselayout-data
            V:3.6.5-r0
            A:x86_64
            S:11291
            I:77824
            T:Alpine base dir structure and init scripts
            U:https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout
            L:GPL-2.0-only
            o:alpine-baselayout
            m:Natanael Copa <ncopa@alpinelinux.org>
            t:1714981135
            c:66187892e05b03a41d08e9acabd19b7576a1c875
            r:alpine-baselayout
            q:1000
            F:etc
            R:fstab
            Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=
            R:group
            Z:Q12Otk4M39fP2Zjkobu0nC9FvlRI0=

            C:Q1Lp/FBcnZsdGkuU7ahSRMhoHIyY8=
            P:musl
            V:1.2.5-r0
            A:x86_64
            S:411323
            I:622592
            T:the musl c library (libc) implementation
            o:musl
            F:lib
            R:ld-musl-x86_64.so.1
            a:0:0:755

            C:Q1bRhwu2SpoEHW3fMCPCgP3b1uYJc=
            P:busybox
            V:1.36.1-r29
            A:x86_64
            o:busybox
            D:so:libc.musl-x86_64.so.1

            C:Q1QKzw6sRHxVG+cEJs0Oz/xxE5cfo=
            P:ssl_client
            V:1.36.1-r29
            A:x86_64
            o:busybox

            P:no-origin
            V:0.1-r0
            """;

    @Test
    void everyRecordWithOriginAsSource() {
        List<OsPackage> p = ApkInstalled.parse(INSTALLED, DB);
        assertThat(p).extracting(OsPackage::name)
                .containsExactly("alpine-baselayout-data", "musl", "busybox", "ssl_client", "no-origin");
        assertThat(p.get(0)).isEqualTo(new OsPackage("apk", "alpine-baselayout-data", "3.6.5-r0", "x86_64",
                "alpine-baselayout", "3.6.5-r0", DB));
        assertThat(p.get(3).sourceName()).isEqualTo("busybox");
        assertThat(p.get(4)).isEqualTo(new OsPackage("apk", "no-origin", "0.1-r0", null, "no-origin", "0.1-r0", DB));
    }

    @Test
    void crlfAndIncompleteRecords() {
        String text = "P:a\r\nV:1-r0\r\nA:aarch64\r\n\r\nP:noversion\r\n\r\nV:2\r\n\r\n\r\nP:b\r\nV:2-r1\r\n";
        assertThat(ApkInstalled.parse(text, DB)).extracting(OsPackage::name, OsPackage::version,
                OsPackage::architecture).containsExactly(org.assertj.core.groups.Tuple.tuple("a", "1-r0", "aarch64"),
                org.assertj.core.groups.Tuple.tuple("b", "2-r1", null));
        assertThat(ApkInstalled.parse("", DB)).isEmpty();
    }
}
