package dev.posture.image.layer;

import dev.posture.image.ImageLimits;
import dev.posture.image.testing.TestLayers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemViewTest {
    private final List<String> notes = new ArrayList<>();

    private FileSystemView merge(TestLayers... layers) throws Exception {
        LayerReader reader = new LayerReader(new ReadBudget(ImageLimits.DEFAULT), ContentProbe.NONE);
        FileSystemView view = new FileSystemView();
        for (int i = 0; i < layers.length; i++) {
            LayerIndex index = reader.read("l" + i, new ByteArrayInputStream(TestLayers.gzip(layers[i].tar())));
            assertThat(index.failure()).isNull();
            view.apply(i, index, notes);
        }
        return view;
    }

    private static List<String> paths(FileSystemView view) {
        return view.nodes().stream().map(n -> n.path() + "@" + n.layer()).toList();
    }

    private static TestLayers lower() {
        return TestLayers.layer().dir("a", 0755).file("a/x", 0644, "x").dir("a/d", 0755).file("a/d/y", 0644, "y")
                .file("a-b", 0644, "sibling sorted between a and a/").file("b", 0644, "b");
    }

    @Test
    void fileWhiteoutRemovesThePath() throws Exception {
        assertThat(paths(merge(lower(), TestLayers.layer().whiteout("a/x"))))
                .containsExactly("a@0", "a-b@0", "a/d@0", "a/d/y@0", "b@0");
    }

    @Test
    void directoryWhiteoutRemovesItsDescendantsButNotSiblingsSharingAPrefix() throws Exception {
        assertThat(paths(merge(lower(), TestLayers.layer().whiteout("a"))))
                .containsExactly("a-b@0", "b@0");
    }

    @Test
    void opaqueDirectoryHidesLowerContentAndKeepsItsOwnLayers() throws Exception {
        FileSystemView view = merge(lower(), TestLayers.layer().dir("a", 0700).opaque("a").file("a/new", 0644, "n"));
        assertThat(paths(view)).containsExactly("a@1", "a-b@0", "a/new@1", "b@0");
        assertThat(view.get("a").entry().mode()).isEqualTo(0700);
        // the marker comes after an entry of its own layer in the tar: that entry stays too
        FileSystemView late = merge(lower(), TestLayers.layer().file("a/new", 0644, "n").opaque("a"));
        assertThat(paths(late)).containsExactly("a@0", "a-b@0", "a/new@1", "b@0");
    }

    @Test
    void opaqueRootHidesEverythingBelow() throws Exception {
        assertThat(paths(merge(lower(), TestLayers.layer().opaque(".").file("c", 0644, "c"))))
                .containsExactly("c@1");
    }

    @Test
    void aFileReplacingADirectoryRemovesWhatWasBelowIt() throws Exception {
        FileSystemView view = merge(lower(), TestLayers.layer().file("a/d", 0644, "now a file"));
        assertThat(paths(view)).containsExactly("a@0", "a-b@0", "a/d@1", "a/x@0", "b@0");
        assertThat(view.get("a/d").type()).isEqualTo(EntryType.FILE);
        // a symlink replacing a directory likewise
        assertThat(paths(merge(lower(), TestLayers.layer().symlink("a", "b"))))
                .containsExactly("a@1", "a-b@0", "b@0");
    }

    @Test
    void aufsBookkeepingIsNoContent() throws Exception {
        FileSystemView view = merge(TestLayers.layer().file(".wh..wh.aufs", 0644, "").dir(".wh..wh.plnk", 0700)
                .file(".wh..wh.plnk/1234.5678", 0644, "x").file("a/.wh..wh.orph", 0644, "").file("a/b", 0644, "b"));
        assertThat(paths(view)).containsExactly("a/b@0");
    }

    @Test
    void aDirectoryOverADirectoryKeepsTheContentAndTakesTheNewMode() throws Exception {
        FileSystemView view = merge(lower(), TestLayers.layer().dir("a", 0777));
        assertThat(paths(view)).containsExactly("a@1", "a-b@0", "a/d@0", "a/d/y@0", "a/x@0", "b@0");
        assertThat(view.get("a").entry().mode()).isEqualTo(0777);
    }

    @Test
    void aDeletedThenReAddedPathIsTheNewOne() throws Exception {
        FileSystemView view = merge(lower(), TestLayers.layer().whiteout("a"),
                TestLayers.layer().dir("a", 0755).file("a/z", 0644, "z"));
        assertThat(paths(view)).containsExactly("a@2", "a-b@0", "a/z@2", "b@0");
    }

    @Test
    void hardLinksTakeTheirTargetsModeAndOwner() throws Exception {
        FileSystemView view = merge(TestLayers.layer().file("bin/su", 04750, 0, 42, "su".getBytes()),
                TestLayers.layer().hardlink("bin/su2", "bin/su").hardlink("bin/gone", "bin/nothing"));
        LayerEntry link = view.get("bin/su2").entry();
        assertThat(link.type()).isEqualTo(EntryType.HARDLINK);
        assertThat(link.mode()).isEqualTo(04750);
        assertThat(link.gid()).isEqualTo(42);
        assertThat(link.linkTarget()).isEqualTo("bin/su");
        assertThat(view.get("bin/gone").entry().mode()).isEqualTo(0644);
        assertThat(notes).containsExactly("layer 1: hard link /bin/gone to /bin/nothing, which does not exist");
    }

    @Test
    void resolveFollowsRelativeAndAbsoluteLinksInsideTheRoot() throws Exception {
        FileSystemView view = merge(TestLayers.layer()
                .symlink("etc/os-release", "../usr/lib/os-release")
                .symlink("lib", "usr/lib")
                .symlink("usr/lib/os-release", "/usr/share/os-release")
                .symlink("escape", "../../../../etc/passwd")
                .symlink("loop/a", "b").symlink("loop/b", "a"));
        assertThat(view.resolve("etc/os-release")).isEqualTo("usr/share/os-release");
        assertThat(view.resolve("lib/os-release")).isEqualTo("usr/share/os-release");
        assertThat(view.resolve("escape")).isEqualTo("etc/passwd"); // ".." at the root stays at the root
        assertThat(view.resolve("no/such/file")).isEqualTo("no/such/file");
        assertThatThrownBy(() -> view.resolve("loop/a")).isInstanceOf(FileSystemView.LinkLoopException.class)
                .hasMessage("/loop/a: more than 40 symbolic links (a loop?)");
    }
}
