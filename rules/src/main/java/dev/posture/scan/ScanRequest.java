package dev.posture.scan;

import java.io.InputStream;
import java.util.List;

/**
 * What to scan: paths ("-" for stdin), image references, and whether to scan live AWS.
 *
 * @param baseDir the directory report locations are relative to
 * @param shard   the part of the targets this process scans (null: all of them, and the report records no shard)
 */
public record ScanRequest(List<String> paths, List<String> images, boolean aws, InputStream stdin,
                          String baseDir, Shard shard) {
    public ScanRequest {
        paths = List.copyOf(paths);
        images = List.copyOf(images);
    }

    /** The whole scan (no sharding). */
    public ScanRequest(List<String> paths, List<String> images, boolean aws, InputStream stdin, String baseDir) {
        this(paths, images, aws, stdin, baseDir, null);
    }
}
