package dev.posture.image.source;

/**
 * What a registry source authenticates with, and where it came from (for messages, never the secret).
 *
 * @param username null when anonymous; {@code <token>} when {@code secret} is an identity (refresh) token
 * @param secret   the password or token; never printed
 * @param origin   for messages: "credentials from --registry-username", "no credentials", …
 */
record RegistryCredential(String username, String secret, String origin) {
    /** Docker's marker user name for an identity token, which is exchanged at the token server. */
    static final String IDENTITY_TOKEN_USER = "<token>";

    static RegistryCredential anonymous(String why) {
        return new RegistryCredential(null, null, why == null ? "no credentials" : "no credentials: " + why);
    }

    boolean isAnonymous() {
        return username == null;
    }

    @Override
    public String toString() { // never the secret
        return "RegistryCredential[" + (username == null ? "anonymous" : username) + ", " + origin + "]";
    }
}
