package dev.posture.image.source;

import java.io.IOException;

/** Stand-in until the registry source lands (a parallel branch writes it); the merge takes that one. */
public final class RegistrySource implements ImageSource {
    private final ImageReference ref;

    public RegistrySource(ImageReference ref, SourceOptions options) {
        this.ref = ref;
    }

    @Override
    public String describe() {
        return "registry " + ref;
    }

    @Override
    public String kind() {
        return "registry";
    }

    @Override
    public ImageManifest read(LayerSink layers) throws ImageException, IOException {
        throw new ImageException("registry sources are not built yet");
    }
}
