package dev.posture.image.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout directory (kind "oci-layout"): {@code oci-layout}, {@code index.json} and
 * {@code blobs/<alg>/<encoded>}, as {@code skopeo copy … oci:DIR}, {@code buildah push … oci:DIR} or
 * {@code docker buildx --output type=oci,tar=false} write it. The index (nested indexes followed, the platform
 * chosen) gives the manifest, the manifest its config and layers; layers are read from their files,
 * {@value Blobs#PARALLEL_LAYERS} at a time.
 *
 * <p>Every blob must be a regular file inside the directory: a digest is checked against the OCI grammar before it
 * becomes a path, and a blob that is a link leading out of the directory is refused — a layout from an untrusted
 * checkout must not make the scan read the runner's files.
 */
public final class OciLayoutSource implements ImageSource {
    private final Path dir;
    private final SourceOptions options;
    private final int parallel;

    public OciLayoutSource(Path dir, SourceOptions options) {
        this(dir, options, Blobs.PARALLEL_LAYERS);
    }

    /** @param parallel layers delivered at once (benchmarks compare 1 and 2) */
    OciLayoutSource(Path dir, SourceOptions options, int parallel) {
        this.dir = dir;
        this.options = options;
        this.parallel = parallel;
    }

    @Override
    public String describe() {
        return "oci-layout " + dir;
    }

    @Override
    public String kind() {
        return "oci-layout";
    }

    @Override
    public ImageManifest read(LayerSink sink) throws ImageException, IOException {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageException(describe() + ": no such directory");
        }
        if (!Files.isRegularFile(root.resolve("oci-layout"))) {
            throw new ImageException(describe() + ": no oci-layout file: not an OCI image layout");
        }
        byte[] indexBytes = json(root, "index.json", "index.json");
        if (indexBytes == null) {
            throw new ImageException(describe() + ": no index.json");
        }
        JsonNode index = Blobs.json(describe(), "index.json", indexBytes);
        OciIndex.JsonBlobs blobs = digest -> json(root, Blobs.blobPath(digest), "blob " + Blobs.shortDigest(digest));
        OciIndex.Selected sel = OciIndex.select(describe(), index, blobs, options.platform());
        Map<String, Path> files = new LinkedHashMap<>();
        ImageManifest m = OciManifests.manifest(describe(), sel, blobs, digest -> {
            Path p = blob(root, Blobs.blobPath(digest), "layer " + Blobs.shortDigest(digest));
            if (p == null) {
                throw new ImageException(describe() + ": manifest " + Blobs.shortDigest(sel.digest()) + " lists layer "
                        + Blobs.shortDigest(digest) + ", whose blob is missing");
            }
            files.put(digest, p);
        });
        List<Map.Entry<String, Path>> order = new ArrayList<>(files.entrySet());
        order.sort(Comparator.comparingLong((Map.Entry<String, Path> e) -> size(e.getValue())).reversed());
        List<Parallel.Task> tasks = new ArrayList<>();
        for (Map.Entry<String, Path> e : order) {
            tasks.add(() -> {
                try (InputStream in = Files.newInputStream(e.getValue())) {
                    sink.layer(e.getKey(), in);
                }
            });
        }
        Parallel.run(tasks, parallel);
        return m;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A small JSON file of the layout, or null when there is none. */
    private byte[] json(Path root, String relative, String what) throws ImageException, IOException {
        Path p = blob(root, relative, what);
        if (p == null) {
            return null;
        }
        long size = Files.size(p);
        if (size > Blobs.MAX_JSON_BYTES) {
            throw new ImageException(describe() + ": " + what + " is " + size + " bytes, over the "
                    + (Blobs.MAX_JSON_BYTES >> 20) + " MiB posture reads");
        }
        return Files.readAllBytes(p);
    }

    /** The real file behind a path of the layout, refused when it leads outside or is no file; null when absent. */
    private Path blob(Path root, String relative, String what) throws ImageException, IOException {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new ImageException(describe() + ": " + what + " names a path outside the layout");
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new ImageException(describe() + ": " + what + " is a broken or looping symbolic link");
        }
        if (!real.startsWith(root)) {
            throw new ImageException(describe() + ": " + what + " is a symbolic link out of the layout; not followed");
        }
        if (!Files.isRegularFile(real)) {
            throw new ImageException(describe() + ": " + what + " is not a regular file");
        }
        return real;
    }
}
