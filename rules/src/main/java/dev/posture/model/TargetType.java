package dev.posture.model;

import java.util.Locale;

/** The kinds of thing a scan looks at. */
public enum TargetType {
    KUBERNETES, IMAGE, LAMBDA, IAM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Surface surface() {
        return this == LAMBDA || this == IAM ? Surface.SERVERLESS : Surface.CONTAINER;
    }
}
