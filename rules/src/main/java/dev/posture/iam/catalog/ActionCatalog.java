package dev.posture.iam.catalog;

import java.util.Optional;
import java.util.Set;

/**
 * Every IAM action of every AWS service, with its access levels. Action names are returned in
 * their canonical spelling ("s3:GetObject"); lookups are case-insensitive, as IAM is.
 * Implementations are immutable and thread-safe, and memoise wildcard expansions.
 */
public interface ActionCatalog {

    /** All canonical actions matching an IAM action pattern ({@code *} and {@code ?} wildcards, any case). */
    Set<String> expand(String pattern);

    /** Every action in the catalog. */
    Set<String> allActions();

    /** The canonical spelling of an action, if it exists. */
    Optional<String> canonical(String action);

    default boolean exists(String action) {
        return canonical(action).isPresent();
    }

    /** True when the service prefix ("s3", "dynamodb") is known. */
    boolean serviceExists(String prefix);

    /** Access levels of an action (an action may have more than one); empty when unknown. */
    Set<AccessLevel> accessLevels(String action);

    /** The nearest existing action to a misspelt one ("s3:GetObjekt" → "s3:GetObject"), if close. */
    Optional<String> suggest(String unknownAction);

    /** Where the data came from and when, for attribution in reports and {@code --version}. */
    String provenance();

    /** The catalog bundled in the jar (see {@link Catalogs#bundled()}). */
    static ActionCatalog bundled() {
        return Catalogs.bundled();
    }

    /** The catalog scans use: a user-imported one when present, else the bundled one (see {@link Catalogs#defaultCatalog()}). */
    static ActionCatalog defaultCatalog() {
        return Catalogs.defaultCatalog();
    }
}
