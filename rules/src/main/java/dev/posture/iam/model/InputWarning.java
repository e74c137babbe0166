package dev.posture.iam.model;

import dev.posture.model.Redaction;

/** A part of the input that was skipped, and why. The message is masked: it may quote input. */
public record InputWarning(String message, Origin origin) {
    public InputWarning {
        message = Redaction.redact(message);
    }
}
