package dev.posture.scan;

import java.io.InputStream;
import java.util.List;

/**
 * What to scan: paths ("-" for stdin), image references, and whether to scan live AWS.
 *
 * @param baseDir the directory report locations are relative to
 */
public record ScanRequest(List<String> paths, List<String> images, boolean aws, InputStream stdin,
                          String baseDir) {
    public ScanRequest {
        paths = List.copyOf(paths);
        images = List.copyOf(images);
    }
}
