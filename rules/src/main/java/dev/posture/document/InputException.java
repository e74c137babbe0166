package dev.posture.document;

/** Input that cannot be read or parsed; the message names the file (and line where known). */
public class InputException extends Exception {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
