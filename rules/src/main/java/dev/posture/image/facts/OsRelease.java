package dev.posture.image.facts;

/**
 * {@code os-release} fields (freedesktop.org format), null when absent.
 *
 * @param path the file read, "/etc/os-release" or "/usr/lib/os-release"
 */
public record OsRelease(String id, String idLike, String versionId, String versionCodename, String prettyName,
                        String path) {
}
