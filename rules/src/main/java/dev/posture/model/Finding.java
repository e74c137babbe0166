package dev.posture.model;

import java.util.Objects;

/**
 * One rule firing on one place of one target.
 *
 * @param resource        "Kind/namespace/name" for Kubernetes, the function or policy name for
 *                        Lambda/IAM, the image ref for images
 * @param container       the container name (Kubernetes) or null
 * @param path            a file inside an image, or null
 * @param location        file/line/column for file inputs; null for non-file targets
 * @param logicalLocation a logical place such as "function OrdersFn → role OrdersRole → inline policy
 *                        ddb → statement 2", an ARN, or an image ref
 * @param logicalPath     the field path used for the fingerprint (never line numbers)
 * @param evidence        supporting detail; secrets are masked before they get here
 * @param suppression     non-null when an ignore entry matched
 * @param baselineState   null unless a baseline was given
 */
public record Finding(
        Rule rule,
        TargetRef target,
        String resource,
        String container,
        String path,
        Location location,
        String logicalLocation,
        String logicalPath,
        String message,
        String evidence,
        String fingerprint,
        Suppression suppression,
        BaselineState baselineState) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        // messages and evidence quote input: a credential in it is never shown whole
        message = Redaction.redact(message);
        evidence = Redaction.redact(evidence);
        if (fingerprint == null) {
            fingerprint = Fingerprints.of(rule.id(), target, resource, container, path, logicalPath);
        }
    }

    public boolean suppressed() {
        return suppression != null;
    }

    public Finding withSuppression(Suppression s) {
        return new Finding(rule, target, resource, container, path, location, logicalLocation, logicalPath,
                message, evidence, fingerprint, s, baselineState);
    }

    public Finding withBaselineState(BaselineState b) {
        return new Finding(rule, target, resource, container, path, location, logicalLocation, logicalPath,
                message, evidence, fingerprint, suppression, b);
    }

    public static Builder builder(Rule rule, TargetRef target) {
        return new Builder(rule, target);
    }

    /** Builder for the many optional parts. */
    public static final class Builder {
        private final Rule rule;
        private final TargetRef target;
        private String resource;
        private String container;
        private String path;
        private Location location;
        private String logicalLocation;
        private String logicalPath;
        private String message;
        private String evidence;

        private Builder(Rule rule, TargetRef target) {
            this.rule = rule;
            this.target = target;
        }

        public Builder resource(String v) { this.resource = v; return this; }
        public Builder container(String v) { this.container = v; return this; }
        public Builder path(String v) { this.path = v; return this; }
        public Builder location(Location v) { this.location = v; return this; }
        public Builder logicalLocation(String v) { this.logicalLocation = v; return this; }
        public Builder logicalPath(String v) { this.logicalPath = v; return this; }
        public Builder message(String v) { this.message = v; return this; }
        public Builder evidence(String v) { this.evidence = v; return this; }

        public Finding build() {
            return new Finding(rule, target, resource, container, path, location, logicalLocation, logicalPath,
                    message == null ? rule.title() : message, evidence, null, null, null);
        }
    }
}
