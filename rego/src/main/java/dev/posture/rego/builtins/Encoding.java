package dev.posture.rego.builtins;

final class Encoding {
    private Encoding() {
    }

    static void register(Registry r) {
    }
}
