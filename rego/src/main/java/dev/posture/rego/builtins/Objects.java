package dev.posture.rego.builtins;

final class Objects {
    private Objects() {
    }

    static void register(Registry r) {
    }
}
