package dev.posture.vuln.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/** Maven's version order, by Maven's own {@link ComparableVersion} (what OSV's Maven ranges are defined by). */
public final class MavenVersion implements VersionScheme {
    public static final MavenVersion INSTANCE = new MavenVersion();

    @Override
    public String name() {
        return "maven";
    }

    record V(String text, ComparableVersion version) implements ParsedVersion {
        @Override
        public int compareTo(ParsedVersion o) {
            return Integer.signum(version.compareTo(((V) o).version));
        }
    }

    @Override
    public ParsedVersion parse(String text) throws InvalidVersionException {
        if (text == null || text.isBlank()) {
            throw new InvalidVersionException(name(), String.valueOf(text), "empty");
        }
        for (char c : text.toCharArray()) {
            if (Character.isWhitespace(c) || c < 0x20) {
                throw new InvalidVersionException(name(), text, "whitespace or control character");
            }
        }
        return new V(text, new ComparableVersion(text));
    }
}
