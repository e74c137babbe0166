package dev.posture.policy;

/** Policies could not be loaded or compiled (a parse or compile error, unreadable bundled policies). */
public class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
