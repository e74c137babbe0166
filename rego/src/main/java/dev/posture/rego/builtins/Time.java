package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** Time builtins (nanoseconds since the epoch, int64 range as OPA). */
final class Time {
    private Time() {
    }

    static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

    static Value ns(Instant t) {
        BigInteger n = BigInteger.valueOf(t.getEpochSecond()).multiply(BILLION).add(BigInteger.valueOf(t.getNano()));
        if (n.compareTo(MIN) < 0 || n.compareTo(MAX) > 0) {
            throw BuiltinError.err("time outside of valid range");
        }
        return Value.Num.of(n);
    }

    static ZonedDateTime zdt(Value[] a, int i) {
        Value v = a[i];
        ZoneId zone = ZoneOffset.UTC;
        if (v instanceof Value.Arr arr) {
            if (arr.size() != 2) {
                throw BuiltinError.type("operand 1 must be one of {number, array[number, string]}");
            }
            if (!(arr.get(1) instanceof Value.Str tz)) {
                throw BuiltinError.type("operand 1 must be array[number, string]");
            }
            String z = tz.value;
            try {
                zone = z.isEmpty() || z.equals("UTC") ? ZoneOffset.UTC : z.equals("Local") ? ZoneId.systemDefault() : ZoneId.of(z);
            } catch (RuntimeException e) {
                throw BuiltinError.err("unknown time zone " + z);
            }
            v = arr.get(0);
        }
        if (!(v instanceof Value.Num n)) {
            throw Args.typeErr(i, "one of {number, array}", v);
        }
        BigDecimal bd = n.big();
        if (bd.compareTo(new BigDecimal(MIN)) < 0 || bd.compareTo(new BigDecimal(MAX)) > 0) {
            throw BuiltinError.err("timestamp too big");
        }
        BigInteger bi = bd.toBigInteger();
        if (bi.compareTo(MIN) < 0 || bi.compareTo(MAX) > 0) {
            throw BuiltinError.err("timestamp too big");
        }
        long nanos = bi.longValue();
        Instant t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return t.atZone(zone);
    }

    static void register(Registry r) {
        r.add("time.parse_rfc3339_ns", 1, (a, c) -> {
            String s = str(a, 0);
            try {
                String t = s.endsWith("-00:00") ? s.substring(0, s.length() - 6) + "+00:00" : s;
                return ns(OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                throw BuiltinError.err("parsing time " + dev.posture.rego.value.ValueText.json(a[0]) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse");
            }
        });
        r.add("time.parse_ns", 2, (a, c) -> {
            String layout = str(a, 0);
            String s = str(a, 1);
            DateTimeFormatter f;
            try {
                f = DateTimeFormatter.ofPattern(goLayout(layout), Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw BuiltinError.err("unsupported layout " + layout);
            }
            try {
                TemporalAccessor ta = f.parseBest(s, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from,
                        java.time.LocalDate::from);
                Instant t;
                if (ta instanceof ZonedDateTime z) {
                    // Go parses in UTC, where a zone abbreviation other than UTC is unknown: it gets offset zero
                    t = z.getZone() instanceof ZoneOffset ? z.toInstant() : z.toLocalDateTime().toInstant(ZoneOffset.UTC);
                } else if (ta instanceof OffsetDateTime o) {
                    t = o.toInstant();
                } else if (ta instanceof LocalDateTime l) {
                    t = l.toInstant(ZoneOffset.UTC);
                } else {
                    t = ((java.time.LocalDate) ta).atStartOfDay().toInstant(ZoneOffset.UTC);
                }
                return ns(t);
            } catch (DateTimeParseException e) {
                throw BuiltinError.err("parsing time " + dev.posture.rego.value.ValueText.json(a[1]) + ": " + e.getMessage());
            }
        });
        r.add("time.format", 1, (a, c) -> {
            Value v = a[0];
            String layout = null;
            if (v instanceof Value.Arr arr && arr.size() == 3) {
                if (!(arr.get(2) instanceof Value.Str ls)) {
                    throw BuiltinError.type("operand 1 must be array[number, string, string]");
                }
                layout = ls.value;
                v = Value.arr(arr.get(0), arr.get(1));
            }
            ZonedDateTime z = zdt(new Value[] {v}, 0);
            if (layout == null || layout.equals("RFC3339Nano")) {
                String base = z.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT));
                int nano = z.getNano();
                String frac = nano == 0 ? "" : ("." + String.format("%09d", nano)).replaceAll("0+$", "");
                String off = z.getOffset().getTotalSeconds() == 0 ? "Z" : z.getOffset().getId();
                return Value.str(base + frac + off);
            }
            // Go names the UTC zone "UTC" (MST in a layout); java.time prints "Z" for the UTC offset
            ZonedDateTime named = z.getZone().equals(ZoneOffset.UTC) ? z.withZoneSameInstant(ZoneId.of("UTC")) : z;
            return Value.str(formatGo(named, layout));
        });
        r.add("time.parse_duration_ns", 1, (a, c) -> Value.Num.of(duration(str(a, 0))));
        r.add("time.date", 1, (a, c) -> {
            ZonedDateTime z = zdt(a, 0);
            return Value.arr(Value.num(z.getYear()), Value.num(z.getMonthValue()), Value.num(z.getDayOfMonth()));
        });
        r.add("time.clock", 1, (a, c) -> {
            ZonedDateTime z = zdt(a, 0);
            return Value.arr(Value.num(z.getHour()), Value.num(z.getMinute()), Value.num(z.getSecond()));
        });
        r.add("time.weekday", 1, (a, c) -> Value.str(zdt(a, 0).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)));
        r.add("time.add_date", 4, (a, c) -> {
            ZonedDateTime z = zdt(a, 0);
            ZonedDateTime n = z.plusYears(Args.longArg(a, 1)).plusMonths(Args.longArg(a, 2)).plusDays(Args.longArg(a, 3));
            return ns(n.toInstant());
        });
        r.add("time.diff", 2, (a, c) -> {
            ZonedDateTime x = zdt(a, 0);
            ZonedDateTime y = zdt(a, 1).withZoneSameInstant(x.getZone());
            if (x.isAfter(y)) {
                ZonedDateTime t = x;
                x = y;
                y = t;
            }
            long years = ChronoUnit.YEARS.between(x, y);
            ZonedDateTime t = x.plusYears(years);
            long months = ChronoUnit.MONTHS.between(t, y);
            t = t.plusMonths(months);
            long days = ChronoUnit.DAYS.between(t, y);
            t = t.plusDays(days);
            long hours = ChronoUnit.HOURS.between(t, y);
            t = t.plusHours(hours);
            long mins = ChronoUnit.MINUTES.between(t, y);
            t = t.plusMinutes(mins);
            long secs = ChronoUnit.SECONDS.between(t, y);
            return Value.arr(List.of(Value.num(years), Value.num(months), Value.num(days), Value.num(hours), Value.num(mins),
                    Value.num(secs)));
        });
    }

    // RE2 (linear time): with java.util.regex a run of 2,000 digits took 40 s (cubic backtracking)
    private static final Pattern DUR = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)");

    static BigInteger duration(String s) {
        String t = s;
        boolean neg = false;
        if (t.startsWith("-") || t.startsWith("+")) {
            neg = t.startsWith("-");
            t = t.substring(1);
        }
        if (t.equals("0")) {
            return BigInteger.ZERO;
        }
        if (t.isEmpty()) {
            throw BuiltinError.err("time: invalid duration " + dev.posture.rego.value.ValueText.json(Value.str(s)));
        }
        Matcher m = DUR.matcher(t);
        int pos = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw BuiltinError.err("time: invalid duration " + dev.posture.rego.value.ValueText.json(Value.str(s)));
            }
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(n.multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        BigInteger r = total.toBigInteger();
        return neg ? r.negate() : r;
    }

    private static final java.util.regex.Pattern FRAC9 = java.util.regex.Pattern.compile("[.,]9+(?![0-9])");

    /** Formats with a Go layout; .999 (trailing zeros trimmed, nothing when zero) has no java.time pattern. */
    static String formatGo(ZonedDateTime z, String layout) {
        String l = layout;
        java.util.regex.Matcher m = FRAC9.matcher(l);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.append(z.format(DateTimeFormatter.ofPattern(goLayout(l.substring(last, m.start())), Locale.ROOT)));
            }
            int digits = m.end() - m.start() - 1;
            String frac = String.format("%09d", z.getNano()).substring(0, Math.min(9, digits)).replaceAll("0+$", "");
            if (!frac.isEmpty()) {
                out.append(l.charAt(m.start())).append(frac);
            }
            last = m.end();
        }
        if (last < l.length()) {
            out.append(z.format(DateTimeFormatter.ofPattern(goLayout(l.substring(last)), Locale.ROOT)));
        }
        return out.toString();
    }

    static String goLayout(String l) {
        switch (l) {
            case "RFC3339":
                l = "2006-01-02T15:04:05Z07:00";
                break;
            case "RFC1123":
                l = "Mon, 02 Jan 2006 15:04:05 MST";
                break;
            case "RFC822":
                l = "02 Jan 06 15:04 MST";
                break;
            case "ANSIC":
                l = "Mon Jan _2 15:04:05 2006";
                break;
            default:
                break;
        }
        String[][] map = {{"January", "MMMM"}, {"Monday", "EEEE"}, {"2006", "yyyy"}, {"Z07:00", "XXX"}, {"-07:00", "xxx"},
            {"-0700", "xx"}, {"Jan", "MMM"}, {"Mon", "EEE"}, {"MST", "z"}, {".000000000", ".SSSSSSSSS"}, {".000000", ".SSSSSS"},
            {".000", ".SSS"}, {"01", "MM"}, {"02", "dd"}, {"_2", "ppd"}, {"15", "HH"}, {"03", "hh"}, {"04", "mm"}, {"05", "ss"},
            {"06", "yy"}, {"PM", "a"}, {"Z0700", "XX"}, {"Z07", "X"}, {"-07", "x"},
            // single-digit elements: month, day, 12-hour hour, minute and second without padding
            {"1", "M"}, {"2", "d"}, {"3", "h"}, {"4", "m"}, {"5", "s"}};
        StringBuilder sb = new StringBuilder();
        int i = 0;
        outer:
        while (i < l.length()) {
            for (String[] e : map) {
                if (l.startsWith(e[0], i)) {
                    sb.append(e[1]);
                    i += e[0].length();
                    continue outer;
                }
            }
            char ch = l.charAt(i++);
            if (Character.isLetter(ch)) {
                sb.append('\'').append(ch).append('\'');
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
