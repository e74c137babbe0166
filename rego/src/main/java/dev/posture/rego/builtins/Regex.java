package dev.posture.rego.builtins;

final class Regex {
    private Regex() {
    }

    static void register(Registry r) {
    }
}
