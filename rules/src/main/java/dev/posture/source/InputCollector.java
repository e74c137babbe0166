package dev.posture.source;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Expands the paths a user gave into files to look at: directories are walked recursively
 * (skipping VCS, dependency and build folders); named files are always taken, whatever their
 * extension. Paths that do not exist are reported back, not thrown.
 *
 * <p>Only regular files are read. While walking, symbolic links to files are followed, symbolic
 * links to directories are not (no loops), and named pipes, devices and sockets are never opened
 * (reading a pipe could block forever): such entries with a scannable extension are reported as
 * skipped. A named path that is not a regular file or directory is a problem (pipe it to
 * {@code posture scan -} instead).
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

    private static void walk(String given, Path root, List<SourceFile> files, List<Problem> problems,
                             List<Problem> skipped) {
        List<SourceFile> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(root) && SKIPPED_DIRS.contains(dir.getFileName().toString())) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (!isCandidate(file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            String name = display(given, root, file);
                            if (attrs.isRegularFile()) {
                                found.add(new SourceFile(name, file, false));
                            } else if (attrs.isSymbolicLink()) {
                                try {
                                    BasicFileAttributes target = Files.readAttributes(file, BasicFileAttributes.class);
                                    if (target.isRegularFile()) {
                                        found.add(new SourceFile(name, file, false));
                                    } else if (target.isDirectory()) {
                                        skipped.add(new Problem(name, "symbolic link to a directory; not followed"));
                                    } else {
                                        skipped.add(new Problem(name, "symbolic link to something that is "
                                                + NOT_REGULAR));
                                    }
                                } catch (IOException e) {
                                    skipped.add(new Problem(name, "broken or looping symbolic link"));
                                }
                            } else if (attrs.isOther()) {
                                skipped.add(new Problem(name, NOT_REGULAR));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            problems.add(new Problem(display(given, root, file), "cannot read: " + exc.getMessage()));
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            problems.add(new Problem(given, "cannot walk directory: " + e.getMessage()));
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        files.addAll(found);
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
