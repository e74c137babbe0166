package dev.posture.image.source;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Docker/OCI image reference split as the distribution spec splits it: {@code [registry/]repository[:tag][@digest]}.
 * The first component is a registry when it has a '.' or ':' or is {@code localhost}; otherwise the registry is
 * Docker Hub and a one-component repository gets {@code library/}. A port is never a tag ({@code
 * localhost:5000/app} has no tag).
 *
 * @param registry   host[:port] ("registry-1.docker.io" for Docker Hub); null when only a tag is known (an OCI
 *                   layout's ref name)
 * @param repository path within the registry; null when only a tag is known
 * @param tag        the tag as written, null when none was written
 * @param digest     {@code sha256:…} when pinned, else null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "registry-1.docker.io";
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    public static ImageReference parse(String ref) {
        String s = ref.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty image reference");
        }
        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("image reference '" + ref + "': '" + digest + "' is not a digest");
            }
        }
        String tag = null;
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        if (colon > slash) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("image reference '" + ref + "': '" + tag + "' is not a tag");
            }
        }
        String registry = DOCKER_HUB;
        String repository = s;
        int first = s.indexOf('/');
        if (first > 0) {
            String head = s.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                registry = head;
                repository = s.substring(first + 1);
            }
        }
        if (registry.equals("docker.io") || registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        for (String c : repository.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new IllegalArgumentException("image reference '" + ref + "': repository '" + repository
                        + "' is not valid (lower-case letters, digits and separators)");
            }
        }
        return new ImageReference(registry.toLowerCase(Locale.ROOT), repository, tag, digest);
    }

    /** True for loopback registries, which are reached over plain HTTP without {@code --insecure-registry}. */
    public boolean loopback() {
        if (registry == null) {
            return false;
        }
        String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']'))
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** The tag or digest to ask the registry for: the digest when pinned, else the tag, else "latest". */
    public String qualifier() {
        return digest != null ? digest : tag != null ? tag : "latest";
    }

    @Override
    public String toString() {
        return (registry == null ? "" : registry + "/") + (repository == null ? "" : repository)
                + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
