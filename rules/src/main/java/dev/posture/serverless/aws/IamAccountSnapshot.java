package dev.posture.serverless.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.parse.PolicyParser;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.RoleDetail;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The account's roles and managed policies from one paginated {@code GetAccountAuthorizationDetails}
 * (filters Role, LocalManagedPolicy, AWSManagedPolicy), normalised to the IAM model. Policy
 * documents arrive URL-encoded (RFC 3986) and are decoded before parsing; of managed policies only
 * the default version is kept.
 *
 * <p>Origins: a managed policy's statements are {@code Origin.live(policyArn, "/Statement/i")};
 * a role's inline policy {@code Origin.live(roleArn, "/RolePolicyList/<name>/Statement/i")}; its
 * trust policy {@code Origin.live(roleArn, "/AssumeRolePolicyDocument/Statement/i")}.
 */
final class IamAccountSnapshot {

    static final String OPERATION = "iam:GetAccountAuthorizationDetails";
    private static final Pattern AWS_MANAGED = Pattern.compile("^arn:[^:]+:iam::aws:policy/.*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Role ARN → role, in API order. */
    final Map<String, Role> roles = new LinkedHashMap<>();
    /** Managed policy ARN → policy (default version), in API order. */
    final Map<String, Policy> managedPolicies = new LinkedHashMap<>();
    /** Problems found while reading a role (its own or its policies'), by role ARN. */
    final Map<String, List<InputWarning>> roleWarnings = new LinkedHashMap<>();
    /** Problems found while reading a managed policy, by policy ARN. */
    final Map<String, List<InputWarning>> policyWarnings = new LinkedHashMap<>();
    /** Managed policy ARNs attached to some role (as policy or boundary). */
    final Set<String> attachedToRoles = new LinkedHashSet<>();
    int pages;

    static IamAccountSnapshot read(IamClient iam, String endpoint) {
        List<RoleDetail> roleDetails = new ArrayList<>();
        List<ManagedPolicyDetail> policyDetails = new ArrayList<>();
        IamAccountSnapshot s = new IamAccountSnapshot();
        AwsErrors.call(OPERATION, endpoint, () -> {
            for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(r -> r
                    .filter(EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY, EntityType.AWS_MANAGED_POLICY))) {
                s.pages++;
                roleDetails.addAll(page.roleDetailList());
                policyDetails.addAll(page.policies());
            }
            return null;
        });
        for (ManagedPolicyDetail p : policyDetails) {
            s.addManagedPolicy(p);
        }
        for (RoleDetail r : roleDetails) {
            s.addRole(r);
        }
        return s;
    }

    static PolicyKind managedKind(String arn) {
        return arn != null && AWS_MANAGED.matcher(arn).matches() ? PolicyKind.AWS_MANAGED : PolicyKind.CUSTOMER_MANAGED;
    }

    private void addManagedPolicy(ManagedPolicyDetail p) {
        String arn = p.arn();
        List<InputWarning> warnings = new ArrayList<>();
        PolicyVersion def = null;
        for (PolicyVersion v : p.policyVersionList()) {
            if (Boolean.TRUE.equals(v.isDefaultVersion())) {
                def = v;
                break;
            }
        }
        if (def == null && p.defaultVersionId() != null) {
            for (PolicyVersion v : p.policyVersionList()) {
                if (p.defaultVersionId().equals(v.versionId())) {
                    def = v;
                }
            }
        }
        PolicyDocument doc = null;
        if (def == null || def.document() == null) {
            warnings.add(new InputWarning("managed policy " + p.policyName() + " has no default version document",
                    Origin.live(arn, "")));
        } else {
            doc = parse(def.document(), arn, "", warnings);
        }
        managedPolicies.put(arn, new Policy(p.policyName(), managedKind(arn), arn, doc, Origin.live(arn, "")));
        policyWarnings.put(arn, warnings);
    }

    private void addRole(RoleDetail r) {
        String arn = r.arn();
        List<InputWarning> warnings = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        for (PolicyDetail inline : r.rolePolicyList()) {
            String ptr = "/RolePolicyList/" + pointerToken(inline.policyName());
            PolicyDocument doc = inline.policyDocument() == null ? null
                    : parse(inline.policyDocument(), arn, ptr, warnings);
            policies.add(new Policy(inline.policyName(), PolicyKind.INLINE, null, doc, Origin.live(arn, ptr)));
        }
        for (AttachedPolicy ap : r.attachedManagedPolicies()) {
            policies.add(managed(ap.policyName(), ap.policyArn(), null, arn, warnings));
        }
        Policy boundary = null;
        if (r.permissionsBoundary() != null && r.permissionsBoundary().permissionsBoundaryArn() != null) {
            String bArn = r.permissionsBoundary().permissionsBoundaryArn();
            boundary = managed(null, bArn, PolicyKind.PERMISSIONS_BOUNDARY, arn, warnings);
        }
        PolicyDocument trust = r.assumeRolePolicyDocument() == null ? null
                : parse(r.assumeRolePolicyDocument(), arn, "/AssumeRolePolicyDocument", warnings);
        roles.put(arn, new Role(r.roleName(), arn, policies, boundary, trust, Origin.live(arn, "")));
        roleWarnings.put(arn, warnings);
    }

    /** An attached managed policy (or boundary) resolved by ARN; document null when not in the snapshot. */
    private Policy managed(String name, String policyArn, PolicyKind kindOverride, String roleArn,
                           List<InputWarning> warnings) {
        attachedToRoles.add(policyArn);
        Policy p = managedPolicies.get(policyArn);
        PolicyKind kind = kindOverride != null ? kindOverride : managedKind(policyArn);
        if (p == null) {
            warnings.add(new InputWarning("managed policy " + policyArn + " attached to role " + roleArn
                    + " is not in the authorization details; its document is unknown", Origin.live(roleArn, "")));
            String n = name != null ? name : policyArn.substring(policyArn.lastIndexOf('/') + 1);
            return new Policy(n, kind, policyArn, null, Origin.live(policyArn, ""));
        }
        warnings.addAll(policyWarnings.getOrDefault(policyArn, List.of()));
        return kindOverride == null ? p : new Policy(p.name(), kind, p.arn(), p.document(), p.origin());
    }

    /** URL-decodes and parses a policy document; a document that is not JSON gives a warning and null. */
    static PolicyDocument parse(String encoded, String arn, String pointer, List<InputWarning> warnings) {
        String json = decode(encoded);
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            warnings.add(new InputWarning("policy document is not valid JSON (" + e.getOriginalMessage()
                    + "); skipped", Origin.live(arn, pointer)));
            return null;
        }
        PolicyParser.Result result = new PolicyParser(null, arn).parse(node, pointer);
        warnings.addAll(result.warnings());
        return result.document();
    }

    /** IAM returns documents URL-encoded; a document that is already plain JSON is left as is. */
    static String decode(String doc) {
        String t = doc.trim();
        if (t.startsWith("{")) {
            return doc;
        }
        try {
            return URLDecoder.decode(doc, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return doc;
        }
    }

    /** RFC 6901 escaping of one pointer token. */
    static String pointerToken(String s) {
        return s == null ? "" : s.replace("~", "~0").replace("/", "~1");
    }
}
