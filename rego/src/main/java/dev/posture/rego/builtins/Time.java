package dev.posture.rego.builtins;

final class Time {
    private Time() {
    }

    static void register(Registry r) {
    }
}
