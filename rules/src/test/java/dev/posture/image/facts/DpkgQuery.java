package dev.posture.image.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code dpkg-query} on a database, the reference the parsers are measured against. */
public final class DpkgQuery {
    static final String FORMAT =
            "${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\t${db:Status-Status}\\n";

    private DpkgQuery() {
    }

    /**
     * The installed packages of {@code admindir} (the {@code db:Status-Status} "installed" ones) as
     * "name TAB version TAB arch TAB source TAB source-version" rows, or null when dpkg-query cannot run here.
     */
    public static List<String> installed(Path admindir) throws InterruptedException {
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
