package dev.posture.cli;

import dev.posture.image.ImageInspector;
import dev.posture.image.ImageLimits;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageReference;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.ImageSources;
import dev.posture.image.source.SourceOptions;
import dev.posture.report.TerminalText;
import dev.posture.sbom.CycloneDxSbom;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code posture sbom}: a CycloneDX bill of materials of an image's OS packages. */
@Command(name = "sbom", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Write a CycloneDX 1.6 SBOM of the OS packages installed in a container image",
                "(dpkg and apk databases): one component per binary package, its exact version and package URL.",
                "IMAGE is a 'docker save' archive, an OCI layout directory (or a tar of one), daemon://NAME[:TAG]",
                "or a registry reference; an existing file or directory of that name wins over a reference."},
        footer = {"", "Examples:",
                "  posture sbom fixtures/demo/images/storefront.tar -o bom.json",
                "  posture sbom daemon://shop/storefront:1.0 -o -",
                "  posture sbom registry.example.com/shop/storefront:1.0 --platform linux/arm64 -o bom.json",
                "", "Exit codes: 0 written, 2 usage error, 3 the image could not be read or the SBOM not written."})
final class SbomCommand implements Callable<Integer> {
    static final String FORMAT = "cyclonedx-json";

    @ParentCommand
    PostureCommand parent;

    @Parameters(paramLabel = "IMAGE", arity = "1", description = "Archive, OCI layout, daemon://NAME[:TAG] or reference.")
    String image;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the SBOM; '-' (the default) is stdout.")
    String output = "-";

    @Option(names = "--format", paramLabel = "FORMAT", description = "SBOM format: " + FORMAT + " (the only one).")
    String format = FORMAT;

    @picocli.CommandLine.Mixin
    ImageArgs imageArgs = new ImageArgs();

    @Option(names = "--vuln-db", paramLabel = "DIR",
            description = "An OSV database ('posture db update' writes one): add the packages' known vulnerabilities.")
    Path vulnDb;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but the SBOM (no warnings).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Library logs on stderr.")
    boolean verbose;

    @Override
    public Integer call() {
        Logging.configure(verbose);
        // ---- usage checks: all before the image is read
        if (!format.toLowerCase(Locale.ROOT).equals(FORMAT)) {
            return usage("--format: '" + format + "' is not supported; the only format is " + FORMAT);
        }
        SourceOptions sourceOptions;
        try {
            sourceOptions = imageArgs.sources(parent.env, parent.in, false);
        } catch (ImageArgs.UsageException e) {
            return usage(e.getMessage());
        }
        if (image.isBlank()) {
            return usage("IMAGE is empty");
        }
        Path path = localPath(image);
        ImageReference reference = null;
        if (path == null) {
            if (looksLikePath(image)) {
                return unreadable(image + ": no such file or directory");
            }
            String ref = image.startsWith(DAEMON) ? image.substring(DAEMON.length()) : image;
            try {
                reference = ImageReference.parse(ref);
            } catch (IllegalArgumentException e) {
                if (!image.startsWith(DAEMON)) { // a daemon also knows images by ID, which is no reference
                    return usage(image + " is no file, directory or image reference: " + e.getMessage());
                }
            }
        }
        Path out = null;
        if (!output.equals("-")) {
            try {
                out = Path.of(output);
            } catch (InvalidPathException e) {
                return usage("invalid path: " + e.getMessage());
            }
            String why = refusal(out, path);
            if (why != null) {
                return usage(why);
            }
        }

        dev.posture.vuln.osv.OsvDatabase db = null;
        if (vulnDb != null) {
            List<String> dbWarnings = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            try {
                db = dev.posture.vuln.osv.OsvDatabase.load(vulnDb, null, dbWarnings::add);
            } catch (java.io.IOException e) {
                return usage("--vuln-db " + e.getMessage());
            }
            if (verbose) {
                parent.err.println("posture: vulnerability database: " + db.stats().records() + " records loaded in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            if (!quiet) {
                dbWarnings.forEach(w -> parent.err.println("posture: warning: " + TerminalText.escape(w)));
            }
        }

        // ---- read the image
        ImageFacts facts;
        try {
            facts = inspect(path, reference, sourceOptions);
        } catch (ImageException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return unreadable(m.contains(image) ? m : "cannot read image " + image + ": " + m);
        }
        if (!quiet) {
            for (String w : facts.warnings()) {
                parent.err.println("posture: warning: " + TerminalText.escape(image + ": " + w));
            }
            if (facts.packages().isEmpty()) {
                parent.err.println("posture: warning: " + TerminalText.escape(noPackages(image, facts.os())));
            }
        }

        // ---- write
        Bom model = CycloneDxSbom.build(facts, Version.get(), Instant.now(), UUID.randomUUID());
        if (db != null) {
            List<String> matchWarnings = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            var packages = dev.posture.vuln.ImageVulnerabilities.packages(facts, matchWarnings::add);
            var matches = new dev.posture.vuln.VulnMatcher(db).match(packages, matchWarnings::add);
            if (verbose) {
                parent.err.println("posture: " + packages.size() + " packages matched in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms: " + matches.size() + " vulnerabilities");
            }
            CycloneDxSbom.addVulnerabilities(model, facts, matches);
            if (!quiet) {
                matchWarnings.forEach(w -> parent.err.println("posture: warning: " + TerminalText.escape(image + ": " + w)));
            }
        }
        byte[] bom = CycloneDxSbom.toJson(model).getBytes(StandardCharsets.UTF_8);
        if (out == null) {
            parent.out.write(bom, 0, bom.length);
            parent.out.println();
            parent.out.flush();
            if (parent.out.checkError()) {
                parent.err.println("posture: cannot write the SBOM to standard output: "
                        + TerminalText.escape(CheckedPrintStream.reason(parent.out)));
                parent.stdoutFailureReported = true;
                return ExitCodes.INCOMPLETE;
            }
            return ExitCodes.OK;
        }
        try {
            ReportFile.write(out, os -> {
                os.write(bom);
                os.write('\n');
            });
        } catch (IOException e) {
            parent.err.println("posture: cannot write the SBOM to " + TerminalText.escape(output) + ": "
                    + TerminalText.escape(describe(e)));
            return ExitCodes.INCOMPLETE;
        }
        if (!quiet) {
            long components = model.getComponents() == null ? 0 : model.getComponents().stream()
                    .filter(c -> c.getType() == Component.Type.LIBRARY).count();
            parent.err.println("posture: wrote CycloneDX 1.6 SBOM of " + components + " package(s) to "
                    + TerminalText.escape(output));
        }
        return ExitCodes.OK;
    }

    private static final String DAEMON = "daemon://";

    /** Opens the image and reads it once; the source is closed whatever happens. */
    private ImageFacts inspect(Path path, ImageReference reference, SourceOptions options) throws ImageException {
        ImageSource source = ImageSources.open(image, path, options);
        try {
            return new ImageInspector(ImageLimits.DEFAULT, 2, true).inspect(image, reference, source);
        } finally {
            try {
                source.close();
            } catch (IOException e) {
                // the facts are read; a failing close (a daemon connection) changes nothing in them
            }
        }
    }

    /** The file or directory IMAGE names, or null when none exists (then it is a reference). */
    static Path localPath(String image) {
        if (image.startsWith(DAEMON)) {
            return null;
        }
        try {
            Path p = Path.of(image);
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** A name no registry would hold, so that a missing archive is not looked for on Docker Hub. */
    static boolean looksLikePath(String image) {
        String s = image.toLowerCase(Locale.ROOT);
        return s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.startsWith("~")
                || List.of(".tar", ".tar.gz", ".tgz", ".tar.zst").stream().anyMatch(s::endsWith);
    }

    /**
     * Why the SBOM must not be written to {@code report}: the house rules for report files, plus never into the
     * image read (the archive itself, or inside an OCI layout directory, whose blobs it would replace).
     */
    static String refusal(Path report, Path input) {
        String why = ReportFile.refusal(report, input == null ? List.of() : List.of(input));
        if (why != null || input == null || !Files.isDirectory(input) || ReportFile.isDevice(report)) {
            return why;
        }
        try {
            Path dir = input.toRealPath();
            Path parent = report.toAbsolutePath().normalize().getParent();
            Path real = parent != null && Files.exists(parent) ? parent.toRealPath() : null;
            if (real != null && real.startsWith(dir)) {
                return report + " is inside the image directory " + input + "; refusing to write into it";
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    static String noPackages(String image, OsRelease os) {
        String like = os == null ? "" : (os.id() + " " + os.idLike()).toLowerCase(Locale.ROOT);
        if (List.of("rhel", "fedora", "centos", "suse", "amzn", "mariner", "azurelinux", "photon").stream()
                .anyMatch(like::contains)) {
            return image + ": " + (os.prettyName() != null ? os.prettyName() : os.id())
                    + " keeps its packages in an rpm database, which posture does not read yet: the SBOM lists none";
        }
        return image + ": no dpkg or apk package database found: the SBOM lists no packages";
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private int unreadable(String message) {
        parent.err.println("posture sbom: " + TerminalText.escape(message));
        return ExitCodes.INCOMPLETE;
    }

    private int usage(String message) {
        parent.err.println("posture sbom: " + TerminalText.escape(message));
        parent.err.println("Try 'posture sbom --help' for more information.");
        return ExitCodes.USAGE;
    }
}
