package dev.posture.image.source;

import java.util.ArrayDeque;
import java.util.Deque;

/** Archive entry names as one canonical relative path: {@code ./a//b/} → {@code a/b}; {@code ..} is refused. */
final class ArchivePaths {
    private ArchivePaths() {
    }

    static String normalise(String describe, String name) throws ImageException {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.replace('\\', '/').split("/")) {
            if (p.equals("..")) {
                // nothing is extracted, but a name that climbs out is never an honest image archive
                throw new ImageException(describe + ": entry '" + Blobs.shorten(name)
                        + "' has '..' in its path; refusing the archive");
            }
            if (!p.isEmpty() && !p.equals(".")) {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    /** A symbolic link's target, relative to the link's directory (or the archive root when absolute). */
    static String symlinkTarget(String describe, String path, String linkName) throws ImageException {
        if (linkName.startsWith("/")) {
            return normalise(describe, linkName);
        }
        Deque<String> parts = new ArrayDeque<>();
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            for (String p : path.substring(0, slash).split("/")) {
                parts.addLast(p);
            }
        }
        for (String p : linkName.split("/")) {
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new ImageException(describe + ": link " + Blobs.shorten(path)
                            + " points outside the archive");
                }
                parts.removeLast();
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }
}
