package dev.posture.rego.builtins;

import dev.posture.rego.RegoError;
import dev.posture.rego.value.Value;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-evaluation state visible to builtins: the query's clock and runtime, a per-query cache, and the query's limits.
 *
 * <p>Limits: builtins that can build values much larger than their arguments (a {@code sprintf} width, {@code concat}
 * of one string many times, {@code numbers.range}, {@code json.marshal} of a value that shares sub-values, ...)
 * {@link #charge} what they are about to allocate against the query's memory budget before or while they build it,
 * and long loops call {@link #charge} or {@link #checkDeadline()} so that the query's deadline is also seen inside
 * one builtin call. Both end the query with {@code eval_cancel_error}. The count is of bytes allocated (an estimate:
 * 2 bytes per char, 8 per reference, a few dozen per value or map entry), not of the live heap.
 */
public final class BuiltinContext {
    /** Estimated bytes of one element of a built array, set or object (reference plus a share of the map entry). */
    public static final int ELEMENT_BYTES = 32;
    /** Estimated bytes of a small value object (a number, a short string's header). */
    public static final int VALUE_BYTES = 24;

    public final long nowNanos;
    public final Value runtime;
    public final Map<String, Object> cache = new ConcurrentHashMap<>();
    /**
     * Where the builtin being called is called from (set by the evaluator before each call; one evaluation runs
     * on one thread): host builtins that resolve paths relative to the calling module use it.
     */
    public dev.posture.rego.ast.Location callSite;
    private final long deadlineNanos;
    private final long memoryBudget;
    private long allocated;
    private int calls;

    public BuiltinContext(long nowNanos, Value runtime) {
        this(nowNanos, runtime, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** {@code deadlineNanos} on {@link System#nanoTime()}'s clock, {@code memoryBudget} in bytes (Long.MAX_VALUE: none). */
    public BuiltinContext(long nowNanos, Value runtime, long deadlineNanos, long memoryBudget) {
        this.nowNanos = nowNanos;
        this.runtime = runtime;
        this.deadlineNanos = deadlineNanos;
        this.memoryBudget = memoryBudget <= 0 ? Long.MAX_VALUE : memoryBudget;
    }

    /**
     * Counts {@code bytes} about to be allocated by this query; past the budget the query ends with
     * {@code eval_cancel_error}. Every 256th call also checks the deadline, so a loop that charges as it goes is
     * bounded in time too.
     */
    public void charge(long bytes) {
        long a = allocated + Math.max(0, bytes);
        allocated = a < 0 ? Long.MAX_VALUE : a; // saturate
        if (allocated > memoryBudget) {
            throw budgetExceeded(memoryBudget);
        }
        if ((++calls & 255) == 0) {
            checkDeadline();
        }
    }

    /** Bytes counted so far. */
    public long allocated() {
        return allocated;
    }

    /** Ends the query with {@code eval_cancel_error} when its deadline has passed. */
    public void checkDeadline() {
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new RegoError("eval_cancel_error", null, "evaluation deadline exceeded");
        }
    }

    /** The error of a query that went over its memory budget. */
    public static RegoError budgetExceeded(long budget) {
        return new RegoError("eval_cancel_error", null, "evaluation exceeded its memory budget of " + mib(budget)
                + " (allocation counted by the engine; raise it with --max-memory)");
    }

    static String mib(long bytes) {
        return bytes >= (1L << 20) ? (bytes + (1L << 19) >> 20) + " MiB" : bytes + " bytes";
    }

    /** Estimated bytes of a string of {@code chars} characters. */
    public static long stringBytes(long chars) {
        return VALUE_BYTES + 2 * chars;
    }
}
