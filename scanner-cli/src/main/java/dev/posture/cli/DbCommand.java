package dev.posture.cli;

import dev.posture.report.TerminalText;
import dev.posture.vuln.db.OsvDownloader;
import dev.posture.vuln.osv.Ecosystems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code posture db …}: the offline vulnerability database (OSV's per-ecosystem exports). */
@Command(name = "db", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Manage the vulnerability database (OSV exports) that 'scan --vuln-db' reads.",
        subcommands = {DbCommand.Update.class})
final class DbCommand implements Runnable {
    @ParentCommand
    PostureCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(parent.out);
    }

    @Command(name = "update", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Download OSV's per-ecosystem exports (<source>/<Ecosystem>/all.zip) into the database",
                    "directory. Each zip is verified before it replaces the old one; posture-db.json records the",
                    "source, time, size, SHA-256 and record count of each."},
            footer = {"", "Examples:",
                    "  posture db update",
                    "  posture db update --ecosystem Debian --ecosystem npm --db-dir /srv/osv",
                    "  posture db update --source https://mirror.example.com/osv",
                    "  posture scan --image shop:1.0 --vuln-db /srv/osv",
                    "", "Exit codes: 0 every ecosystem updated, 2 usage error, 3 some ecosystem could not be updated",
                    "(the others are; a failed one keeps its previous database)."})
    static final class Update implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Option(names = "--source", paramLabel = "URL",
                description = "Where the exports are (default: OSV's public bucket, " + OsvDownloader.DEFAULT_SOURCE + ").")
        String source = OsvDownloader.DEFAULT_SOURCE;

        @Option(names = "--ecosystem", paramLabel = "NAME",
                description = "An OSV ecosystem to fetch (repeatable; default: Debian, Ubuntu, Alpine, Rocky Linux, AlmaLinux, Maven, npm, PyPI).")
        List<String> ecosystems = new ArrayList<>();

        @Option(names = "--db-dir", paramLabel = "DIR",
                description = "The database directory (default: $XDG_CACHE_HOME/posture/osv, else ~/.cache/posture/osv).")
        Path dir;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per-request timeout (default: 300).")
        int timeout = 300;

        @Option(names = {"-q", "--quiet"}, description = "No progress, no summary.")
        boolean quiet;

        @Override
        public Integer call() {
            PostureCommand p = db.parent;
            URI src;
            try {
                src = URI.create(source);
                if (src.getScheme() == null || !(src.getScheme().equals("https") || src.getScheme().equals("http"))
                        || src.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                p.err.println("posture: --source " + TerminalText.escape(source) + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (timeout <= 0) {
                p.err.println("posture: --timeout must be positive");
                return ExitCodes.USAGE;
            }
            List<String> wanted = new ArrayList<>(new LinkedHashSet<>(ecosystems.isEmpty() ? Ecosystems.DEFAULT : ecosystems));
            for (String e : wanted) {
                if (e.isBlank() || e.contains("/") || e.contains("\\") || e.equals(".") || e.equals("..")) {
                    p.err.println("posture: --ecosystem '" + TerminalText.escape(e) + "' is not an ecosystem name");
                    return ExitCodes.USAGE;
                }
            }
            Path target = dir != null ? dir : OsvDownloader.defaultDir(p.env);
            try {
                Files.createDirectories(target);
            } catch (IOException e) {
                p.err.println("posture: cannot create " + TerminalText.escape(target.toString()) + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            boolean bar = !quiet && Terminal.detect(p.env).stderrTty();
            OsvDownloader d = new OsvDownloader(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(Math.min(timeout, 30))).build(), Duration.ofSeconds(timeout));
            int failed = 0;
            for (String eco : wanted) {
                long[] last = {0};
                try {
                    OsvDownloader.Result r = d.download(source, eco, target, (name, bytes, total) -> {
                        long now = System.nanoTime();
                        if (bar && now - last[0] > 100_000_000L) {
                            last[0] = now;
                            p.err.print("\r\u001b[2K" + TerminalText.escape(name) + " " + mb(bytes)
                                    + (total > 0 ? " / " + mb(total) : ""));
                            p.err.flush();
                        }
                    });
                    OsvDownloader.writeMetadata(target, source, r, Instant.now());
                    if (bar) {
                        p.err.print("\r\u001b[2K");
                    }
                    if (!quiet) {
                        p.err.println("posture: " + TerminalText.escape(eco) + ": " + r.records() + " records, "
                                + mb(r.bytes()) + ", sha256 " + r.sha256().substring(0, 12) + "…");
                    }
                } catch (IOException e) {
                    failed++;
                    if (bar) {
                        p.err.print("\r\u001b[2K");
                    }
                    p.err.println("posture: " + TerminalText.escape(eco) + ": not updated: "
                            + TerminalText.escape(String.valueOf(e.getMessage())));
                }
            }
            if (!quiet) {
                p.err.println("posture: database " + TerminalText.escape(target.toString()) + ": "
                        + (wanted.size() - failed) + " of " + wanted.size() + " ecosystem(s) updated");
            }
            return failed == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        }

        private static String mb(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
        }
    }
}
