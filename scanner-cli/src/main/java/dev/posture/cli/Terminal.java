package dev.posture.cli;

import java.util.Map;

/**
 * What the process is attached to. Java cannot ask whether stderr alone is a terminal, so the
 * {@code posture} launcher passes {@code POSTURE_STDOUT_TTY}/{@code POSTURE_STDERR_TTY}; without
 * them we fall back to {@link System#console()}.
 */
public record Terminal(boolean stdoutTty, boolean stderrTty, boolean ci, boolean noColor, int columns) {

    public static Terminal detect(Map<String, String> env) {
        boolean console = System.console() != null;
        boolean out = flag(env.get("POSTURE_STDOUT_TTY"), console);
        boolean err = flag(env.get("POSTURE_STDERR_TTY"), console);
        boolean ci = env.containsKey("CI") && !"false".equalsIgnoreCase(env.get("CI"));
        boolean noColor = env.containsKey("NO_COLOR") && !env.get("NO_COLOR").isEmpty()
                || "dumb".equals(env.get("TERM"));
        int columns = 100;
        try {
            String c = env.get("COLUMNS");
            if (c != null && Integer.parseInt(c.trim()) >= 60) {
                columns = Integer.parseInt(c.trim());
            }
        } catch (NumberFormatException ignored) {
            // keep the default
        }
        return new Terminal(out, err, ci, noColor, columns);
    }

    private static boolean flag(String v, boolean fallback) {
        return v == null ? fallback : v.equals("1") || v.equalsIgnoreCase("true");
    }
}
