package dev.posture.image.facts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link DpkgStatus} against dpkg itself: the same database read by {@code dpkg-query} must give the same installed
 * packages, with the same versions, architectures and source packages. Runs on the host's own
 * database whenever there is one, and on a {@code debootstrap --variant=minbase} root given with
 * {@code -Dposture.debootstrap.dir=DIR}.
 */
class DpkgQueryComparisonTest {
    @Test
    void hostDatabase() throws Exception {
        compare(Path.of("/var/lib/dpkg"));
    }

    @Test
    void debootstrapRoot() throws Exception {
        String dir = System.getProperty("posture.debootstrap.dir");
        assumeTrue(dir != null && !dir.isBlank(), "-Dposture.debootstrap.dir=DIR not given");
        compare(Path.of(dir, "var/lib/dpkg"));
    }

    private static void compare(Path admindir) throws Exception {
        Path status = admindir.resolve("status");
        assumeTrue(Files.isRegularFile(status), status + " absent");
        List<String> expected = DpkgQuery.installed(admindir);
        assumeTrue(expected != null, "dpkg-query not available");

        List<String> actual = new ArrayList<>();
        for (OsPackage p : DpkgStatus.parse(Files.readString(status, StandardCharsets.UTF_8), "/var/lib/dpkg/status")) {
            actual.add(String.join("\t", p.name(), p.version(), p.architecture(), p.sourceName(), p.sourceVersion()));
        }
        assertThat(actual).isNotEmpty();
        // dpkg-query lists by name, the database is in dpkg's write order: the content is what must agree
        assertThat(actual).as("packages of %s", status).containsExactlyInAnyOrderElementsOf(expected);
        System.out.printf("%s: %d installed packages, identical to dpkg-query%n", status, actual.size());
    }
}
