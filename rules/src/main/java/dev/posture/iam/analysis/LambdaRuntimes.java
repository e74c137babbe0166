package dev.posture.iam.analysis;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * End-of-support (deprecation) dates of the Lambda managed runtimes, from AWS's "Lambda runtimes"
 * documentation (supported and deprecated runtime tables,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as of November 2026. A runtime
 * is deprecated on and after its date. Runtimes without a published date are listed with
 * {@code null}: known, not deprecated.
 */
public final class LambdaRuntimes {
    private LambdaRuntimes() {
    }

    private static final Map<String, LocalDate> DEPRECATION = new TreeMap<>();

    private static void put(String id, String date) {
        DEPRECATION.put(id, date == null ? null : LocalDate.parse(date));
    }

    static {
        // Node.js
        put("nodejs24.x", "2028-04-30");
        put("nodejs22.x", "2027-04-30");
        put("nodejs20.x", "2026-04-30");
        put("nodejs18.x", "2025-09-01");
        put("nodejs16.x", "2024-06-12");
        put("nodejs14.x", "2023-12-04");
        put("nodejs12.x", "2023-03-31");
        put("nodejs10.x", "2021-07-30");
        put("nodejs8.10", "2020-03-06");
        put("nodejs6.10", "2019-08-12");
        put("nodejs4.3", "2020-03-05");
        put("nodejs4.3-edge", "2020-03-05");
        put("nodejs", "2016-10-31");
        // Python
        put("python3.14", "2029-06-30");
        put("python3.13", "2029-06-30");
        put("python3.12", "2028-10-31");
        put("python3.11", "2026-06-30");
        put("python3.10", "2026-06-30");
        put("python3.9", "2025-12-15");
        put("python3.8", "2024-10-14");
        put("python3.7", "2023-12-04");
        put("python3.6", "2022-07-18");
        put("python2.7", "2021-07-15");
        // Java
        put("java25", "2029-06-30");
        put("java21", "2029-06-30");
        put("java17.al2023", null);
        put("java11.al2023", null);
        put("java8.al2023", null);
        put("java17", "2026-06-30");
        put("java11", "2026-06-30");
        put("java8.al2", "2026-06-30");
        put("java8", "2024-01-08");
        // .NET
        put("dotnet10", "2028-11-14");
        put("dotnet9", "2026-11-10");
        put("dotnet8", "2026-11-10");
        put("dotnet7", "2024-05-14");
        put("dotnet6", "2024-12-20");
        put("dotnet5.0", "2022-05-10");
        put("dotnetcore3.1", "2023-04-03");
        put("dotnetcore2.1", "2022-01-05");
        put("dotnetcore2.0", "2019-05-30");
        put("dotnetcore1.0", "2019-07-27");
        // Ruby
        put("ruby3.4", "2028-03-31");
        put("ruby3.3", "2027-03-31");
        put("ruby3.2", "2026-03-31");
        put("ruby2.7", "2023-12-07");
        put("ruby2.5", "2021-07-30");
        // Go and OS-only
        put("go1.x", "2024-01-08");
        put("provided.al2023", "2029-06-30");
        put("provided.al2", "2026-06-30");
        put("provided", "2024-01-08");
    }

    /** True when the runtime id is in the table. */
    public static boolean known(String runtime) {
        return runtime != null && DEPRECATION.containsKey(runtime.toLowerCase(Locale.ROOT));
    }

    /** The deprecation date, if one is published. */
    public static Optional<LocalDate> deprecation(String runtime) {
        return runtime == null ? Optional.empty()
                : Optional.ofNullable(DEPRECATION.get(runtime.toLowerCase(Locale.ROOT)));
    }

    /** True when the runtime is deprecated on {@code today}. */
    public static boolean deprecated(String runtime, LocalDate today) {
        return deprecation(runtime).map(d -> !today.isBefore(d)).orElse(false);
    }

    /** The whole table (runtime id → date or null), sorted by id. */
    public static Map<String, LocalDate> table() {
        return java.util.Collections.unmodifiableMap(DEPRECATION);
    }
}
