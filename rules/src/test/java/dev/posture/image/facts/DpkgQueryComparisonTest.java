package dev.posture.image.facts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link DpkgStatus} against dpkg itself: the same database read by {@code dpkg-query} must give the same installed
 * packages, in the same order, with the same versions, architectures and source packages. Runs on the host's own
 * database whenever there is one, and on a {@code debootstrap --variant=minbase} root given with
 * {@code -Dposture.debootstrap.dir=DIR}.
 */
class DpkgQueryComparisonTest {
    static final String FORMAT =
            "${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\t${db:Status-Status}\\n";

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
        List<String> expected = dpkgQuery(admindir);
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

    /** dpkg-query's installed packages, or null when it cannot run here. */
    private static List<String> dpkgQuery(Path admindir) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dpkg-query", "--admindir=" + admindir, "-W", "-f", FORMAT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return null;
        }
        List<String> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            int last = line.lastIndexOf('\t');
            if (last > 0 && line.substring(last + 1).equals("installed")) {
                rows.add(line.substring(0, last));
            }
        }
        return rows;
    }
}
