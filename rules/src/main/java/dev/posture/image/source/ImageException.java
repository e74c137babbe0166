package dev.posture.image.source;

/**
 * Something about one image went wrong; the message names the image and the cause in one line ("registry
 * localhost:5000/shop/app:1.0: HTTP 401 unauthorized (no credentials for localhost:5000)"). The image's target
 * fails with it; the scan goes on.
 */
public class ImageException extends Exception {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
