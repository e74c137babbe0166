package dev.posture.image.facts;

/**
 * One installed OS package, exactly as the package manager records it.
 *
 * @param manager       "dpkg", "apk" or "rpm"
 * @param name          {@code Package} (dpkg), {@code P} (apk)
 * @param version       {@code Version} as written, epoch included ({@code 1:2.38.1-5+deb12u1}); {@code V} (apk)
 * @param architecture  {@code Architecture} (dpkg), {@code A} (apk)
 * @param sourceName    the source package: dpkg's {@code Source} without its version (the binary name when
 *                      absent), apk's {@code o} origin
 * @param sourceVersion the version in dpkg's {@code Source: name (version)}, else the package version
 * @param database      the database file it was read from ("/var/lib/dpkg/status",
 *                      "/var/lib/dpkg/status.d/base", "/lib/apk/db/installed")
 */
public record OsPackage(String manager, String name, String version, String architecture, String sourceName,
                        String sourceVersion, String database) {
}
