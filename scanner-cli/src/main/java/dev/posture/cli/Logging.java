package dev.posture.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Library logs (AWS SDK via SLF4J→JUL, docker-java, Jib) stay quiet unless -v. Our own warnings go
 * through the report, not the log.
 */
final class Logging {
    private static volatile boolean verbose;

    private Logging() {
    }

    static boolean verbose() {
        return verbose;
    }

    static void configure(boolean v) {
        verbose = v;
        System.setProperty("java.util.logging.SimpleFormatter.format", "posture: %4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler h = new ConsoleHandler();
        h.setFormatter(new SimpleFormatter());
        h.setLevel(v ? Level.FINE : Level.SEVERE);
        root.addHandler(h);
        root.setLevel(v ? Level.INFO : Level.SEVERE);
        Logger.getLogger("dev.posture").setLevel(v ? Level.FINE : Level.SEVERE);
        for (String noisy : new String[] {"software.amazon.awssdk", "com.github.dockerjava", "com.google.cloud.tools.jib",
                "org.apache.http"}) {
            Logger.getLogger(noisy).setLevel(v ? Level.INFO : Level.OFF);
        }
    }
}
