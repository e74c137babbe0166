package dev.posture.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.source.ImageReference;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Package URLs (purl spec) for OS packages and images, built with packageurl-java so every part is encoded as the
 * spec says ({@code +} as {@code %2B}, {@code :} as {@code %3A}).
 */
public final class PackageUrls {
    /** dpkg and rpm versions: an optional numeric epoch before the first ':'. */
    private static final Pattern EPOCH = Pattern.compile("(\\d+):(.+)");

    private PackageUrls() {
    }

    /**
     * The purl of an installed OS package, or null for a package manager without a purl type.
     *
     * <ul>
     *   <li>type: {@code deb} (dpkg), {@code apk}, {@code rpm}</li>
     *   <li>namespace: the os-release {@code ID} (debian, ubuntu, alpine, wolfi…); none when the OS is unknown,
     *   rather than a guess that would match the wrong distribution's advisories</li>
     *   <li>version: the package manager's version with a dpkg/rpm epoch moved to the {@code epoch} qualifier, as
     *   the deb and rpm purl types require ({@code 1:4.13+dfsg1-1+b1} → {@code 4.13%2Bdfsg1-1%2Bb1}, {@code epoch=1})</li>
     *   <li>qualifiers: {@code arch}, {@code distro} ({@code ID-VERSION_ID}: debian-12, alpine-3.20.1; the codename
     *   when there is no VERSION_ID, as on Debian testing), {@code epoch}</li>
     * </ul>
     */
    public static String of(OsPackage p, OsRelease os) {
        String type = switch (p.manager()) {
            case "dpkg" -> "deb";
            case "apk" -> "apk";
            case "rpm" -> "rpm";
            default -> null;
        };
        if (type == null) {
            return null;
        }
        String version = p.version();
        String epoch = null;
        if (!type.equals("apk")) {
            Matcher m = EPOCH.matcher(version);
            if (m.matches()) {
                epoch = m.group(1);
                version = m.group(2);
            }
        }
        // deb and apk names are case-insensitive and lower-cased in purls; rpm names are case-sensitive
        String name = type.equals("rpm") ? p.name() : p.name().toLowerCase(Locale.ROOT);
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(type).withName(name).withVersion(version);
        String namespace = os == null ? null : blankToNull(os.id());
        if (namespace != null) {
            b.withNamespace(namespace.toLowerCase(Locale.ROOT));
        }
        if (blankToNull(p.architecture()) != null) {
            b.withQualifier("arch", p.architecture());
        }
        String distro = distro(os);
        if (distro != null) {
            b.withQualifier("distro", distro);
        }
        if (epoch != null) {
            b.withQualifier("epoch", epoch);
        }
        return build(b);
    }

    /**
     * The purl of the image, {@code pkg:oci/NAME@sha256%3A…?arch=…&repository_url=…&tag=…}, or null when it cannot
     * name a fetchable artifact: the version is the manifest digest (what a registry serves), so an image whose
     * manifest digest is unknown (a legacy {@code docker save} archive) or that has no reference gets none.
     */
    public static String ofImage(ImageFacts f) {
        ImageReference ref = f.reference();
        String digest = ref != null && ref.digest() != null ? ref.digest() : f.manifestDigest();
        if (ref == null || digest == null || ref.repository() == null) {
            return null; // an OCI layout's bare tag names no repository
        }
        String repo = ref.repository();
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("oci")
                .withName(repo.substring(repo.lastIndexOf('/') + 1)).withVersion(digest)
                .withQualifier("repository_url", registryHost(ref.registry()) + "/" + repo);
        if (f.config() != null && blankToNull(f.config().architecture()) != null) {
            b.withQualifier("arch", f.config().architecture());
        }
        if (ref.tag() != null) {
            b.withQualifier("tag", ref.tag());
        }
        return build(b);
    }

    /** {@code ID-VERSION_ID} (or {@code ID-VERSION_CODENAME}), null without an os-release ID. */
    static String distro(OsRelease os) {
        if (os == null || blankToNull(os.id()) == null) {
            return null;
        }
        String v = blankToNull(os.versionId()) != null ? os.versionId() : blankToNull(os.versionCodename());
        return v == null ? null : os.id().toLowerCase(Locale.ROOT) + "-" + v;
    }

    /** {@code pkg:maven/g/a@v}, {@code pkg:npm/%40scope/name@v}, {@code pkg:pypi/name@v}; null when none fits. */
    public static String ofApp(dev.posture.vuln.apps.AppPackage p) {
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withVersion(p.version());
        switch (p.ecosystem()) {
            case "Maven" -> {
                int colon = p.name().indexOf(':');
                if (colon <= 0) {
                    return null;
                }
                b.withType("maven").withNamespace(p.name().substring(0, colon)).withName(p.name().substring(colon + 1));
            }
            case "npm" -> {
                String name = p.name();
                if (name.startsWith("@") && name.contains("/")) {
                    b.withNamespace(name.substring(0, name.indexOf('/'))).withName(name.substring(name.indexOf('/') + 1));
                } else {
                    b.withName(name);
                }
                b.withType("npm");
            }
            case "PyPI" -> b.withType("pypi").withName(p.name());
            default -> {
                return null;
            }
        }
        return build(b);
    }

    private static String registryHost(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB) ? "docker.io" : registry;
    }

    private static String build(PackageURLBuilder b) {
        try {
            return b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null; // a name no purl can hold (e.g. a '/' in it): the component keeps name and version
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
