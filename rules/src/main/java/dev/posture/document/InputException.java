package dev.posture.document;

import dev.posture.model.Redaction;

/**
 * Input that cannot be read or parsed; the message names the file (and line where known). Messages
 * never carry a credential found in the input: whatever quotes input is masked here.
 */
public class InputException extends Exception {
    public InputException(String message) {
        super(Redaction.redact(message));
    }

    public InputException(String message, Throwable cause) {
        super(Redaction.redact(message), cause);
    }
}
