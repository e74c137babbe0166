package dev.posture.image.facts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OsReleaseFileTest {

    @Test
    void debian12() {
        OsRelease os = OsReleaseFile.parse("""
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME="Debian GNU/Linux"
                VERSION_ID="12"
                VERSION="12 (bookworm)"
                VERSION_CODENAME=bookworm
                ID=debian
                HOME_URL="https://www.debian.org/"
                SUPPORT_URL="https://www.debian.org/support"
                BUG_REPORT_URL="https://bugs.debian.org/"
                """, "/etc/os-release");
        assertThat(os).isEqualTo(new OsRelease("debian", null, "12", "bookworm", "Debian GNU/Linux 12 (bookworm)",
                "/etc/os-release"));
    }

    @Test
    void alpine() {
        OsRelease os = OsReleaseFile.parse("""
                NAME="Alpine Linux"
                ID=alpine
                VERSION_ID=3.20.1
                PRETTY_NAME="Alpine Linux v3.20"
                HOME_URL="https://alpinelinux.org/"
                BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
                """, "/usr/lib/os-release");
        assertThat(os).isEqualTo(new OsRelease("alpine", null, "3.20.1", null, "Alpine Linux v3.20",
                "/usr/lib/os-release"));
    }

    @Test
    void ubuntuWithIdLike() {
        OsRelease os = OsReleaseFile.parse("""
                PRETTY_NAME="Ubuntu 22.04.4 LTS"
                NAME="Ubuntu"
                VERSION_ID="22.04"
                VERSION="22.04.4 LTS (Jammy Jellyfish)"
                VERSION_CODENAME=jammy
                ID=ubuntu
                ID_LIKE=debian
                UBUNTU_CODENAME=jammy
                """, "/etc/os-release");
        assertThat(os.id()).isEqualTo("ubuntu");
        assertThat(os.idLike()).isEqualTo("debian");
        assertThat(os.versionId()).isEqualTo("22.04");
        assertThat(os.versionCodename()).isEqualTo("jammy");
    }

    @Test
    void distroless() {
        // gcr.io/distroless/static-debian12
        OsRelease os = OsReleaseFile.parse("""
                PRETTY_NAME="Distroless"
                NAME="Debian GNU/Linux"
                ID="debian"
                VERSION_ID="12"
                VERSION="Debian GNU/Linux 12 (bookworm)"
                HOME_URL="https://github.com/GoogleContainerTools/distroless"
                SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"
                BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"
                """, "/etc/os-release");
        assertThat(os).isEqualTo(new OsRelease("debian", null, "12", null, "Distroless", "/etc/os-release"));
    }

    @Test
    void shellQuotingEscapesCommentsAndBlankLines() {
        OsRelease os = OsReleaseFile.parse("""
                # a comment with ID=wrong
                   # an indented comment

                  ID='single quoted $HOME \\n'
                ID_LIKE="rhel \\"fedora\\" \\\\ \\$x \\q"
                VERSION_ID=1\\ 2
                VERSION_CODENAME="a"'b'c
                PRETTY_NAME="  spaced  "   \s
                not an assignment
                1BAD=x
                """, "/etc/os-release");
        assertThat(os.id()).isEqualTo("single quoted $HOME \\n");
        // inside double quotes only \\ \" \$ \` are escapes; other backslashes stay
        assertThat(os.idLike()).isEqualTo("rhel \"fedora\" \\ $x \\q");
        assertThat(os.versionId()).isEqualTo("1 2");
        assertThat(os.versionCodename()).isEqualTo("abc");
        assertThat(os.prettyName()).isEqualTo("  spaced  ");
    }

    @Test
    void crlfLastValueWinsAndUnterminatedQuotes() {
        assertThat(OsReleaseFile.parse("ID=alpine\r\nVERSION_ID=\"3.19\"\r\n", "p").versionId()).isEqualTo("3.19");
        assertThat(OsReleaseFile.parse("ID=alpine\r\n", "p").id()).isEqualTo("alpine");
        assertThat(OsReleaseFile.parse("ID=a\nID=b\n", "p").id()).isEqualTo("b");
        // values are one line: a quote that does not close on its line loses that value only
        OsRelease multi = OsReleaseFile.parse("PRETTY_NAME=\"two\nlines\"\nID=x\n", "p");
        assertThat(multi.prettyName()).isNull();
        assertThat(multi.id()).isEqualTo("x");
        OsRelease broken = OsReleaseFile.parse("PRETTY_NAME=\"never closed\nID=debian\n", "p");
        assertThat(broken.prettyName()).isNull();
        assertThat(broken.id()).isEqualTo("debian");
        assertThat(OsReleaseFile.parse("", "p")).isEqualTo(new OsRelease(null, null, null, null, null, "p"));
        assertThat(OsReleaseFile.parse("ID= debian\n", "p").id()).isEqualTo("debian");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hostileFileIsReadInLinearTime() {
        // a million lines that each open a quote: must not rescan the rest of the file for every line
        String text = "ID=\"\n".repeat(1_000_000) + "ID=debian\n";
        // (a rescan would be 10^12 steps: the timeout guards against a hang, not a speed)
        assertThat(OsReleaseFile.parse(text, "p").id()).isEqualTo("debian");
    }
}
