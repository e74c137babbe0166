package dev.posture.image.layer;

/** Normalises tar entry names to paths relative to the image root, refusing names that leave it. */
final class TarPaths {
    private static final int QUOTED_MAX = 200;

    private TarPaths() {
    }

    /**
     * {@code ./usr//bin/} → {@code usr/bin}; {@code a/../b} → {@code b}; the root itself ({@code ./}, {@code /}) →
     * "". An absolute name or one whose {@code ..} climbs above the root is refused.
     */
    static String normalise(String name, String what) throws LayerFormatException {
        if (name.startsWith("/") && !name.chars().allMatch(c -> c == '/')) {
            throw new LayerFormatException("has " + what + " '" + quoted(name) + "' outside the image root"
                    + " (an absolute path)");
        }
        if (isClean(name)) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                int slash = out.lastIndexOf("/");
                if (out.isEmpty()) {
                    throw new LayerFormatException("has " + what + " '" + quoted(name) + "' outside the image root");
                }
                out.setLength(Math.max(0, slash));
                continue;
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    /** The common case, checked without allocating: no empty, "." or ".." component, no trailing slash. */
    private static boolean isClean(String name) {
        int n = name.length();
        if (n == 0 || name.charAt(n - 1) == '/') {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || name.charAt(i) == '/') {
                int len = i - start;
                if (len == 0 || (len == 1 && name.charAt(start) == '.')
                        || (len == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /** A name fit for a one-line message: cut at 200 characters, control characters escaped. */
    static String quoted(String name) {
        String cut = name.length() <= QUOTED_MAX ? name : name.substring(0, QUOTED_MAX) + "…";
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
