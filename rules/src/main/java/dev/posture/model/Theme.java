package dev.posture.model;

import java.util.Locale;

/** What part of the owner's responsibility a rule is about. */
public enum Theme {
    IAM, SECRETS, CODE, IMAGE, RUNTIME, CLUSTER, NETWORK, SUPPLY_CHAIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Theme parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
