package dev.posture.rego;

import dev.posture.rego.ast.Location;

/**
 * Error raised by the engine, carrying an OPA error code ({@code rego_parse_error}, {@code rego_compile_error},
 * {@code rego_unsafe_var_error}, {@code rego_recursion_error}, {@code rego_type_error}, {@code eval_conflict_error},
 * {@code eval_builtin_error}, {@code eval_type_error}, {@code eval_cancel_error} — deadline, step or memory budget,
 * heap or stack exhausted —, {@code eval_internal_error} — an engine bug met by a query) and a location.
 * {@link #getMessage()} renders as OPA does: {@code file:row: code: message}.
 */
public class RegoError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final Location location;
    private final String detail;

    public RegoError(String code, Location location, String detail) {
        super(render(code, location, detail));
        this.code = code;
        this.location = location;
        this.detail = detail;
    }

    private static String render(String code, Location loc, String detail) {
        return (loc != null ? loc.file() + ":" + loc.row() + ": " : "") + code + ": " + detail;
    }

    public String code() {
        return code;
    }

    public Location location() {
        return location;
    }

    /** {@code file:row:col} of the error, or an empty string when unknown. */
    public String locationText() {
        return location == null ? "" : location.file() + ":" + location.row() + ":" + location.col();
    }

    /** Message without location and code. */
    public String detail() {
        return detail;
    }
}
