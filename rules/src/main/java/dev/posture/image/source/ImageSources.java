package dev.posture.image.source;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Picks the source for what the user named: a daemon image, an OCI layout directory, an archive file or a registry. */
public final class ImageSources {
    public static final String DAEMON_PREFIX = "daemon://";

    private ImageSources() {
    }

    /**
     * @param target     as the user wrote it: {@code daemon://NAME[:TAG]}, a path, or a registry reference
     * @param pathOrNull the file or directory when the target is known to be one (an input found among paths), else
     *                   null (then a target naming an existing path is read as that path)
     * @throws ImageException when the target is none of these (a directory without {@code oci-layout}, a reference
     *                        that does not parse)
     */
    public static ImageSource open(String target, Path pathOrNull, SourceOptions options) throws ImageException {
        if (pathOrNull == null && target.startsWith(DAEMON_PREFIX)) {
            String name = target.substring(DAEMON_PREFIX.length());
            if (name.isBlank()) {
                throw new ImageException(target + ": no image named (daemon://NAME[:TAG])");
            }
            return new DaemonSource(name, options);
        }
        Path path = pathOrNull != null ? pathOrNull : existing(target);
        if (path != null) {
            if (Files.isDirectory(path)) {
                if (!isOciLayout(path)) {
                    throw new ImageException(target + ": a directory without an oci-layout file, not an OCI image"
                            + " layout");
                }
                return new OciLayoutSource(path, options);
            }
            return new ArchiveSource(path, options);
        }
        try {
            return new RegistrySource(ImageReference.parse(target), options);
        } catch (IllegalArgumentException e) {
            throw new ImageException(e.getMessage() + " (and no file or directory of that name exists)");
        }
    }

    /** A directory holding an {@code oci-layout} file: one image input, never walked into. */
    public static boolean isOciLayout(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("oci-layout"));
    }

    private static Path existing(String target) {
        try {
            Path p = Path.of(target);
            return !target.isBlank() && Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
