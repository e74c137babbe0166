package dev.posture.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Go and opa flags take them: {@code 5s}, {@code 1m30s}, {@code 250ms}, {@code 1.5h}. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /** The duration, or null when {@code s} is not one. */
    static Duration parse(String s) {
        Matcher m = PART.matcher(s);
        double nanos = 0;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        return at == s.length() && at > 0 ? Duration.ofNanos((long) nanos) : null;
    }

    /** For picocli options: a value that is no duration is a usage error naming it. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value);
            if (d == null) {
                throw new picocli.CommandLine.TypeConversionException("not a duration: '" + value + "' (e.g. 5s, 1m30s)");
            }
            return d;
        }
    }
}
