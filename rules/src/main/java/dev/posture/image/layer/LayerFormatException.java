package dev.posture.image.layer;

import java.io.IOException;

/**
 * A layer is corrupt, hostile or over a limit. The message completes "layer 2 (sha256:…) …": it starts with a
 * verb ("has an entry '../x' outside the image root", "expands more than 1000× …").
 */
public final class LayerFormatException extends IOException {
    public LayerFormatException(String message) {
        super(message);
    }
}
