package dev.posture.image.layer;

import java.util.Set;

/** The files kept in full while layers stream past: the ones account, OS and package facts are parsed from. */
public final class CapturedPaths {
    public static final String DPKG_STATUS_D = "var/lib/dpkg/status.d/";
    private static final Set<String> EXACT = Set.of("etc/passwd", "etc/shadow", "etc/group", "etc/os-release",
            "usr/lib/os-release", "var/lib/dpkg/status", "lib/apk/db/installed");

    private CapturedPaths() {
    }

    /** {@code path} is normalised and relative ("etc/passwd"). */
    public static boolean captured(String path) {
        if (EXACT.contains(path)) {
            return true;
        }
        // distroless: one database file per package, beside its .md5sums
        return path.startsWith(DPKG_STATUS_D) && path.indexOf('/', DPKG_STATUS_D.length()) < 0
                && path.length() > DPKG_STATUS_D.length() && !path.endsWith(".md5sums");
    }
}
