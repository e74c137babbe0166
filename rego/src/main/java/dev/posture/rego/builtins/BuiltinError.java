package dev.posture.rego.builtins;

/** Error raised by a builtin; {@code type} selects eval_type_error vs eval_builtin_error. */
public final class BuiltinError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final boolean type;

    public BuiltinError(boolean type, String msg) {
        super(msg, null, false, false);
        this.type = type;
    }

    public static BuiltinError type(String msg) {
        return new BuiltinError(true, msg);
    }

    public static BuiltinError err(String msg) {
        return new BuiltinError(false, msg);
    }
}
