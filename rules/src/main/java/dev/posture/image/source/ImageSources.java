package dev.posture.image.source;

import java.nio.file.Path;

/** Stand-in with the real signature, so `posture sbom` compiles; the sources branch replaces it at merge. */
public final class ImageSources {
    private ImageSources() {
    }

    public static ImageSource open(String target, Path pathOrNull, SourceOptions options) throws ImageException {
        throw new ImageException("not built yet");
    }
}
