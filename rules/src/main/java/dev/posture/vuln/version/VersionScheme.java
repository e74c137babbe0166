package dev.posture.vuln.version;

/**
 * How one package ecosystem orders its versions. {@link #parse} checks the ecosystem's grammar once; parsed
 * versions of the same scheme compare with {@link ParsedVersion#compareTo}.
 */
public interface VersionScheme {

    /** "dpkg", "rpm", "apk", "maven", "semver", "pep440". */
    String name();

    /** @throws InvalidVersionException when the ecosystem's grammar rejects {@code text} */
    ParsedVersion parse(String text) throws InvalidVersionException;

    /** Compares two version strings of this scheme. */
    default int compare(String a, String b) throws InvalidVersionException {
        return parse(a).compareTo(parse(b));
    }

    /** A version in its scheme's order; comparing versions of two schemes is a programming error. */
    interface ParsedVersion extends Comparable<ParsedVersion> {
        String text();
    }
}
