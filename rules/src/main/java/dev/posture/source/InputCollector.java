package dev.posture.source;

import dev.posture.image.source.ImageSources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Expands the paths a user gave into files to look at: directories are walked recursively
 * (skipping VCS, dependency and build folders); named files are always taken, whatever their
 * extension. Paths that do not exist are reported back, not thrown.
 *
 * <p>Only regular files are read. A named directory that is a symbolic link is walked like the
 * directory it points to. While walking, links are resolved before anything else: links to files
 * and directories inside the walked root are followed (each directory once, so loops end), links
 * pointing outside it are skipped with the reason; named pipes, devices and sockets are never
 * opened (reading a pipe could block forever): such entries with a scannable extension are reported
 * as skipped. An OCI image layout directory (one holding an {@code oci-layout} file), named or
 * met while walking, is one input and is not walked into. A named path that is not a regular file
 * or directory is a problem (pipe it to {@code posture scan -} instead).
 */
public final class InputCollector {
    /** Folders never walked into. */
    public static final Set<String> SKIPPED_DIRS = Set.of(".git", ".hg", ".svn", "node_modules", "target",
            ".terraform", ".serverless", ".aws-sam", "cdk.out.bak", ".idea", ".vscode", "__pycache__", ".venv");

    /** Extensions that can hold something we scan; other files in walked directories are not read. */
    private static final Set<String> CANDIDATE_EXTENSIONS = Set.of("json", "yaml", "yml", "template", "tar",
            "tgz", "gz");

    /** A path that could not be used, with why. */
    public record Problem(String name, String error) {
    }

    /** Files found, paths that could not be used (failed) and entries deliberately not read (skipped). */
    public record Collected(List<SourceFile> files, List<Problem> problems, List<Problem> skipped) {
        public Collected(List<SourceFile> files, List<Problem> problems) {
            this(files, problems, List.of());
        }
    }

    static final String NOT_REGULAR = "not a regular file (a named pipe, device or socket); it is not read";

    public Collected collect(List<String> paths) {
        List<SourceFile> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<Problem> skipped = new ArrayList<>();
        for (String p : paths) {
            if (p.equals("-")) {
                files.add(new SourceFile("-", null, true));
                continue;
            }
            if (p.isBlank()) {
                problems.add(new Problem("''", "empty path"));
                continue;
            }
            Path path = Path.of(p);
            // "./a/../b.yaml" and "b.yaml" are one target: names feed fingerprints
            String name = normalise(p);
            if (!Files.exists(path)) {
                problems.add(new Problem(name, Files.isSymbolicLink(path)
                        ? "broken or looping symbolic link" : "no such file or directory"));
            } else if (isOciLayout(path)) {
                files.add(new SourceFile(name, path, true)); // one image, not a directory of inputs
            } else if (Files.isDirectory(path)) {
                int before = files.size() + problems.size() + skipped.size();
                walk(name, path, files, problems, skipped);
                if (files.size() + problems.size() + skipped.size() == before) {
                    skipped.add(new Problem(name, "directory holds no files to scan (looked for "
                            + String.join(", ", CANDIDATE_EXTENSIONS.stream().sorted().map(e -> "*." + e).toList())
                            + ")"));
                }
            } else if (!Files.isRegularFile(path)) {
                problems.add(new Problem(name, NOT_REGULAR + "; pipe its content to 'posture scan -' instead"));
            } else if (!Files.isReadable(path)) {
                problems.add(new Problem(name, "not readable"));
            } else {
                files.add(new SourceFile(name, path, true));
            }
        }
        // a path given twice (or '-' twice, or a file and its directory) is read once
        java.util.Map<String, SourceFile> unique = new java.util.LinkedHashMap<>();
        for (SourceFile f : files) {
            unique.merge(f.name(), f, (a, b) -> a.explicit() ? a : b);
        }
        return new Collected(new ArrayList<>(unique.values()), problems, skipped);
    }

    /**
     * Walks a directory: for every entry the link is resolved first, then its type, and only then
     * the name decides (so a link named without an extension is judged by what it points to). A
     * link to a directory inside the root is followed once (a loop, or a second way to a directory
     * already walked, is not walked again); a link pointing outside the root is skipped with the
     * reason: a pull request must not make the scan read the runner's files.
     */
    private static void walk(String given, Path root, List<SourceFile> files, List<Problem> problems,
                             List<Problem> skipped) {
        List<SourceFile> found = new ArrayList<>();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            problems.add(new Problem(given, "cannot walk directory: " + e.getMessage()));
            return;
        }
        java.util.Set<Path> walked = new java.util.HashSet<>();
        walked.add(realRoot);
        java.util.ArrayDeque<Path> dirs = new java.util.ArrayDeque<>();
        dirs.push(root);
        while (!dirs.isEmpty()) {
            Path dir = dirs.pop();
            List<Path> entries = new ArrayList<>();
            try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(entries::add);
            } catch (IOException e) {
                problems.add(new Problem(dir.equals(root) ? given : display(given, root, dir),
                        "cannot read directory: " + e.getMessage()));
                continue;
            }
            entries.sort(null);
            for (int i = entries.size() - 1; i >= 0; i--) {
                Path entry = entries.get(i);
                String name = display(given, root, entry);
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(entry, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    problems.add(new Problem(name, "cannot read: " + e.getMessage()));
                    continue;
                }
                if (attrs.isSymbolicLink()) {
                    link(entry, name, realRoot, walked, dirs, found, skipped);
                } else if (attrs.isDirectory()) {
                    if (isOciLayout(entry)) {
                        layout(entry, name, walked, found, skipped);
                    } else if (!SKIPPED_DIRS.contains(entry.getFileName().toString())) {
                        try {
                            if (walked.add(entry.toRealPath())) {
                                dirs.push(entry);
                            }
                        } catch (IOException e) {
                            problems.add(new Problem(name, "cannot read directory: " + e.getMessage()));
                        }
                    }
                } else if (isCandidate(entry)) {
                    if (attrs.isRegularFile()) {
                        found.add(new SourceFile(name, entry, false));
                    } else {
                        skipped.add(new Problem(name, NOT_REGULAR));
                    }
                }
            }
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        files.addAll(found);
    }

    /** One symbolic link met while walking: resolved, then judged by what it points to. */
    private static void link(Path entry, String name, Path realRoot, java.util.Set<Path> walked,
                             java.util.ArrayDeque<Path> dirs, List<SourceFile> found, List<Problem> skipped) {
        Path target;
        BasicFileAttributes attrs;
        try {
            target = entry.toRealPath();
            attrs = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (IOException e) {
            if (isCandidate(entry)) {
                skipped.add(new Problem(name, "broken or looping symbolic link"));
            }
            return;
        }
        boolean candidate = isCandidate(entry) || isCandidate(target);
        if (!target.startsWith(realRoot)) {
            if (attrs.isDirectory() || candidate) {
                skipped.add(new Problem(name, "symbolic link to " + (attrs.isDirectory() ? "a directory" : "a file")
                        + " outside the scanned directory; not followed"));
            }
            return;
        }
        if (attrs.isDirectory()) {
            if (isOciLayout(target)) {
                layout(entry, name, walked, found, skipped);
                return;
            }
            if (SKIPPED_DIRS.contains(entry.getFileName().toString())) {
                return;
            }
            if (walked.add(target)) {
                dirs.push(entry); // walked under the link's name: that is how the user sees it
            } else {
                skipped.add(new Problem(name, "symbolic link to a directory that is walked already (a loop or a"
                        + " second path to it); not walked again"));
            }
        } else if (!candidate) {
            return;
        } else if (attrs.isRegularFile()) {
            found.add(new SourceFile(name, entry, false));
        } else {
            skipped.add(new Problem(name, "symbolic link to something that is " + NOT_REGULAR));
        }
    }

    /** An OCI image layout is one image input: its index.json and blobs are not inputs of their own. */
    private static boolean isOciLayout(Path dir) {
        return ImageSources.isOciLayout(dir);
    }

    /** An OCI layout met while walking: one input, once (a link to one walked already is skipped). */
    private static void layout(Path entry, String name, java.util.Set<Path> walked, List<SourceFile> found,
                               List<Problem> skipped) {
        try {
            if (walked.add(entry.toRealPath())) {
                found.add(new SourceFile(name, entry, false));
            } else {
                skipped.add(new Problem(name, "an OCI image layout that is read already (through another path)"));
            }
        } catch (IOException e) {
            skipped.add(new Problem(name, "cannot read: " + e.getMessage()));
        }
    }

    static String normalise(String given) {
        String n = Path.of(given).normalize().toString().replace('\\', '/');
        return n.isEmpty() ? "." : n;
    }

    static boolean isCandidate(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && CANDIDATE_EXTENSIONS.contains(n.substring(dot + 1));
    }

    /** The path as the user would write it: the given root joined with the relative part, '/' separated. */
    static String display(String given, Path root, Path file) {
        String rel = root.relativize(file).toString().replace('\\', '/');
        String base = given.endsWith("/") ? given.substring(0, given.length() - 1) : given;
        return base.equals(".") ? rel : base + "/" + rel;
    }
}
