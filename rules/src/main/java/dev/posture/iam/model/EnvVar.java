package dev.posture.iam.model;

/**
 * A function environment variable. {@code value} is null when it is not a literal (a reference to
 * a parameter, secret or intrinsic); such a value is never judged by the variable's name.
 *
 * @param expression for a value that is not a literal, its text with references kept symbolic
 *                   ({@code !Sub 'postgres://app:pw@${Db.Endpoint.Address}/app'}, a {@code !Join},
 *                   both branches of an {@code !If}, a Serverless {@code ${…}} string); searched only
 *                   for credentials recognisable by their shape (keys, tokens, a password in a URL).
 *                   Null for literals and plain references.
 */
public record EnvVar(String name, String value, Origin origin, String expression) {

    public EnvVar(String name, String value, Origin origin) {
        this(name, value, origin, null);
    }
}
