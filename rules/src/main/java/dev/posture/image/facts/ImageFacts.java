package dev.posture.image.facts;

import dev.posture.image.source.ImageReference;

import java.time.Instant;
import java.util.List;

/**
 * Everything one streaming pass over an image found: the configuration, the layers, and the final filesystem
 * view (whiteouts applied) reduced to the facts policies judge. The policies' {@code input} is built from this by
 * {@code dev.posture.image.ImageDocument} (schema: docs/policies.md).
 *
 * @param name           the image as the user named it (a reference, {@code daemon://…}, an archive path)
 * @param source         "registry", "daemon", "archive" or "oci-layout"
 * @param reference      the reference judged for tags and digests: the one given, or an archive's first
 *                       {@code RepoTags} entry; null when there is none
 * @param manifestDigest the manifest's digest when known, else null
 * @param configDigest   sha256 of the config blob ({@code sha256:…}), the image ID
 * @param created        the config's {@code created}, null when absent or unreadable
 * @param config         the config's runtime settings
 * @param history        the config's history, in order
 * @param layers         the layers, bottom first
 * @param os             from {@code /etc/os-release} (or {@code /usr/lib/os-release}), null when neither exists
 * @param accounts       from {@code /etc/passwd}, {@code /etc/shadow}, {@code /etc/group}
 * @param packages       installed OS packages (dpkg, apk), in database order
 * @param files          file-level facts of the final view (and of lower layers for deleted secrets)
 * @param warnings       what the pass noticed but did not fail on (a capture truncated at its limit, an entry
 *                       type skipped), one line each
 * @param appPackages    application dependencies (Maven, npm, PyPI) of the final view, by path; empty unless the
 *                       inspection was asked to read them
 */
public record ImageFacts(String name, String source, ImageReference reference, String manifestDigest,
                         String configDigest, Instant created, ImageConfig config, List<HistoryEntry> history,
                         List<LayerFacts> layers, OsRelease os, Accounts accounts, List<OsPackage> packages,
                         FileFacts files, List<String> warnings, List<dev.posture.vuln.apps.AppPackage> appPackages) {
    public ImageFacts {
        history = List.copyOf(history);
        layers = List.copyOf(layers);
        packages = List.copyOf(packages);
        warnings = List.copyOf(warnings);
        appPackages = appPackages == null ? List.of() : List.copyOf(appPackages);
    }

    /** Facts without application dependencies. */
    public ImageFacts(String name, String source, ImageReference reference, String manifestDigest,
                      String configDigest, Instant created, ImageConfig config, List<HistoryEntry> history,
                      List<LayerFacts> layers, OsRelease os, Accounts accounts, List<OsPackage> packages,
                      FileFacts files, List<String> warnings) {
        this(name, source, reference, manifestDigest, configDigest, created, config, history, layers, os, accounts,
                packages, files, warnings, List.of());
    }

    /** Total size of the layers as stored (compressed). */
    public long size() {
        return layers.stream().mapToLong(LayerFacts::size).sum();
    }
}
