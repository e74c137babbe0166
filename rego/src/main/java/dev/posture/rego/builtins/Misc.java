package dev.posture.rego.builtins;

final class Misc {
    private Misc() {
    }

    static void register(Registry r) {
    }
}
