package dev.posture.image.source;

import java.nio.file.Path;

/** Stand-in until the sources land: picks the source for a target. */
public final class ImageSources {
    private ImageSources() {
    }

    public static ImageSource open(String target, Path pathOrNull, SourceOptions options) throws ImageException {
        throw new ImageException(target + ": image sources are not built yet");
    }
}
