package dev.posture.vuln.osv;

import dev.posture.vuln.version.ApkVersion;
import dev.posture.vuln.version.DpkgVersion;
import dev.posture.vuln.version.MavenVersion;
import dev.posture.vuln.version.Pep440Version;
import dev.posture.vuln.version.RpmVersion;
import dev.posture.vuln.version.SemverVersion;
import dev.posture.vuln.version.VersionScheme;

import java.util.List;
import java.util.Locale;

/**
 * OSV ecosystem names: which version order each uses, and which ecosystem an image's {@code os-release} selects.
 * An ecosystem string is {@code Base[:release[:…]]} ("Debian:12", "Alpine:v3.20", "Ubuntu:22.04:LTS"); the base
 * names the folder of OSV's exports ({@code <source>/<Base>/all.zip}).
 */
public final class Ecosystems {
    /** The bases {@code db update} fetches by default. */
    public static final List<String> DEFAULT = List.of("Debian", "Ubuntu", "Alpine", "Rocky Linux", "AlmaLinux",
            "Maven", "npm", "PyPI");

    private Ecosystems() {
    }

    /** "Debian:12" → "Debian". */
    public static String base(String ecosystem) {
        int c = ecosystem.indexOf(':');
        return c < 0 ? ecosystem : ecosystem.substring(0, c);
    }

    /** The name a package is indexed and looked up by: PyPI names PEP 503-normalised, others as written. */
    public static String key(String ecosystem, String name) {
        return base(ecosystem).equals("PyPI") ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
    }

    /** The version order of an ecosystem, or null when posture has none for it. */
    public static VersionScheme scheme(String ecosystem) {
        return switch (base(ecosystem)) {
            case "Debian", "Ubuntu" -> DpkgVersion.INSTANCE;
            case "Alpine" -> ApkVersion.INSTANCE;
            case "Rocky Linux", "AlmaLinux", "Red Hat", "openSUSE", "SUSE" -> RpmVersion.INSTANCE;
            case "Maven" -> MavenVersion.INSTANCE;
            case "npm" -> SemverVersion.INSTANCE;
            case "PyPI" -> Pep440Version.INSTANCE;
            default -> null;
        };
    }

    /**
     * The OSV ecosystem of an OS release ({@code ID}, {@code VERSION_ID}): "Debian:12", "Alpine:v3.20",
     * "Ubuntu:22.04", "Rocky Linux:9", "AlmaLinux:9"; null when unknown or without a version.
     */
    public static String ofOs(String id, String versionId) {
        if (id == null || versionId == null || versionId.isBlank()) {
            return null;
        }
        String v = versionId.strip();
        String major = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
        return switch (id.toLowerCase(Locale.ROOT)) {
            case "debian" -> "Debian:" + major;
            case "ubuntu" -> "Ubuntu:" + v;
            case "alpine" -> {
                String[] p = v.split("\\.");
                yield p.length >= 2 ? "Alpine:v" + p[0] + "." + p[1] : null;
            }
            case "rocky" -> "Rocky Linux:" + major;
            case "almalinux" -> "AlmaLinux:" + major;
            default -> null;
        };
    }

    /**
     * Whether a record's ecosystem applies to the target's: equal, or Ubuntu's with a suffix ("Ubuntu:22.04:LTS"
     * for "Ubuntu:22.04"). Language ecosystems have no release part and compare equal.
     */
    public static boolean applies(String recordEcosystem, String targetEcosystem) {
        return recordEcosystem.equals(targetEcosystem)
                || targetEcosystem.startsWith("Ubuntu:") && recordEcosystem.startsWith(targetEcosystem + ":");
    }
}
