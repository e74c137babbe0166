package dev.posture.rego.builtins;

final class Strings {
    private Strings() {
    }

    static void register(Registry r) {
    }
}
