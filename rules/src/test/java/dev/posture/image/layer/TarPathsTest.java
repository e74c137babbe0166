package dev.posture.image.layer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarPathsTest {

    @Test
    void normalises() throws Exception {
        assertThat(TarPaths.normalise("usr/bin/ls", "an entry")).isEqualTo("usr/bin/ls");
        assertThat(TarPaths.normalise("./usr/bin/", "an entry")).isEqualTo("usr/bin");
        assertThat(TarPaths.normalise("././usr//bin/./ls", "an entry")).isEqualTo("usr/bin/ls");
        assertThat(TarPaths.normalise("a/b/../c", "an entry")).isEqualTo("a/c");
        assertThat(TarPaths.normalise("./", "an entry")).isEmpty();
        assertThat(TarPaths.normalise("/", "an entry")).isEmpty();
        assertThat(TarPaths.normalise("a/..", "an entry")).isEmpty();
        assertThat(TarPaths.normalise("..a/b..", "an entry")).isEqualTo("..a/b..");
    }

    @Test
    void refusesNamesOutsideTheRoot() {
        assertThatThrownBy(() -> TarPaths.normalise("../../etc/x", "an entry"))
                .hasMessage("has an entry '../../etc/x' outside the image root");
        assertThatThrownBy(() -> TarPaths.normalise("a/../../x", "an entry"))
                .hasMessage("has an entry 'a/../../x' outside the image root");
        assertThatThrownBy(() -> TarPaths.normalise("../x\nposture: forged line\u001b[2J", "an entry"))
                .hasMessage("has an entry '../x\\u000aposture: forged line\\u001b[2J' outside the image root");
        assertThatThrownBy(() -> TarPaths.normalise("../" + "y".repeat(300), "an entry"))
                .hasMessage("has an entry '../" + "y".repeat(197) + "…' outside the image root");
        assertThatThrownBy(() -> TarPaths.normalise("/etc/x", "an entry"))
                .hasMessage("has an entry '/etc/x' outside the image root (an absolute path)");
    }
}
