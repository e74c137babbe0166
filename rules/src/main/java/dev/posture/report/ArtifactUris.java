package dev.posture.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How report locations become SARIF artifact URIs: repository-relative for files under the scan's
 * base directory, a {@code file:} URI for files outside it. Targets that are not files (live
 * functions, images) get no artifact URI at all: SARIF carries them as logical locations.
 */
public final class ArtifactUris {

    /** The {@code uriBaseId} of repository-relative URIs. */
    public static final String SRCROOT = "%SRCROOT%";

    /**
     * An artifact location.
     *
     * @param uri       the URI reference (percent-encoded)
     * @param uriBaseId {@link #SRCROOT} for relative URIs, null for absolute ones
     */
    public record ArtifactUri(String uri, String uriBaseId) {
    }

    private ArtifactUris() {
    }

    /**
     * The URI of a file as the user named it ({@code Location.file}): backslashes become slashes,
     * {@code ./} and {@code ..} are resolved, absolute paths under {@code baseDir} are made relative to
     * it, and characters that need it are percent-encoded.
     */
    public static ArtifactUri forFile(String file, String baseDir) {
        String s = file.replace('\\', '/');
        boolean absolute = isAbsolute(s);
        List<String> base = baseDir == null ? null : absoluteSegments(baseDir);
        if (absolute) {
            List<String> segs = normalise(s, true);
            if (base != null && startsWith(segs, base)) {
                return relative(segs.subList(base.size(), segs.size()));
            }
            return absoluteUri(segs);
        }
        List<String> segs = normalise(s, false);
        if (!segs.isEmpty() && segs.get(0).equals("..")) {
            // escapes the base directory: only an absolute URI is honest
            if (base != null) {
                List<String> joined = new java.util.ArrayList<>(base);
                joined.addAll(segs);
                return absoluteUri(normalise(String.join("/", joined), true));
            }
        }
        return relative(segs);
    }

    /** The base directory as a {@code file:} URI ending in {@code /}. */
    public static String baseUri(String baseDir) {
        String u = absoluteUri(absoluteSegments(baseDir)).uri();
        return u.endsWith("/") ? u : u + "/";
    }

    static boolean isAbsolute(String s) {
        return s.startsWith("/") || s.matches("^[A-Za-z]:/.*");
    }

    private static List<String> absoluteSegments(String dir) {
        String s = dir.replace('\\', '/');
        if (!isAbsolute(s)) {
            s = Path.of(dir).toAbsolutePath().toString().replace('\\', '/');
        }
        return normalise(s, true);
    }

    /** Splits on '/', drops empty and '.' segments, resolves '..' (kept at the front of relative paths). */
    private static List<String> normalise(String s, boolean absolute) {
        Deque<String> stack = new ArrayDeque<>();
        for (String seg : s.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!stack.isEmpty() && !stack.peekLast().equals("..")) {
                    stack.removeLast();
                } else if (!absolute) {
                    stack.addLast("..");
                }
                continue;
            }
            stack.addLast(seg);
        }
        return List.copyOf(stack);
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        if (prefix.size() > path.size()) {
            return false;
        }
        boolean windows = !prefix.isEmpty() && prefix.get(0).matches("[A-Za-z]:");
        for (int i = 0; i < prefix.size(); i++) {
            boolean same = windows ? prefix.get(i).equalsIgnoreCase(path.get(i)) : prefix.get(i).equals(path.get(i));
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static ArtifactUri relative(List<String> segs) {
        String path = segs.isEmpty() ? "." : String.join("/", segs);
        return new ArtifactUri(encode(null, path), SRCROOT);
    }

    private static ArtifactUri absoluteUri(List<String> segs) {
        return new ArtifactUri(encode("file", "/" + String.join("/", segs)), null);
    }

    private static String encode(String scheme, String path) {
        try {
            String u = new URI(scheme, scheme == null ? null : "", path, null, null).toASCIIString();
            if (scheme == null) {
                // a ':' in a relative reference could be read as a scheme; encode it
                u = u.replace(":", "%3A");
            } else {
                u = scheme + ":" + u.substring(u.indexOf(':') + 1).replace(":", "%3A");
                // keep a Windows drive letter readable: file:///C%3A/x -> file:///C:/x
                u = u.replaceFirst("^file:///([A-Za-z])%3A/", "file:///$1:/");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build a URI for '" + path + "'", e);
        }
    }
}
