package dev.posture.iam.model;

import java.util.List;

/**
 * A Lambda function URL configuration.
 *
 * @param authType     NONE or AWS_IAM (as written)
 * @param allowOrigins CORS AllowOrigins, empty when no CORS
 * @param qualifier    alias or version the URL points at, null for $LATEST
 */
public record FunctionUrl(String authType, List<String> allowOrigins, boolean allowCredentials, String qualifier,
                          Origin origin) {
    public FunctionUrl {
        allowOrigins = allowOrigins == null ? List.of() : List.copyOf(allowOrigins);
        origin = origin == null ? Origin.UNKNOWN : origin;
    }

    public boolean noAuth() {
        return "NONE".equalsIgnoreCase(authType);
    }
}
