package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.document.SourceMap;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.InputKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code aws iam get-account-authorization-details} output. Roles (and users, with the policies
 * of their groups) become {@link Role}s; managed policies from {@code Policies} (default version)
 * resolve the attachments by ARN; managed policies attached to nobody stand alone in
 * {@link ServerlessApp#policies()}. Documents may be objects or URL-encoded JSON strings. Origins
 * name entities by name and managed policies by ARN ({@code /RoleDetailList/orders-api-role/…},
 * {@code /Policies/<arn>/Document/Statement/0}), never by list position or version.
 */
public final class AuthorizationDetailsLoader extends DocumentLoader {

    @Override
    public InputKind kind() {
        return InputKind.IAM_AUTHORIZATION_DETAILS;
    }

    @Override
    public boolean recognises(ParsedDocument doc) {
        JsonNode r = doc.root();
        if (ServerlessLoaders.hasAnyField(r, "RoleDetailList", "UserDetailList", "GroupDetailList")) {
            return true;
        }
        JsonNode p = r == null ? null : r.get("Policies");
        return p != null && p.isArray() && p.size() > 0 && p.get(0).has("PolicyVersionList");
    }

    @Override
    public ServerlessApp load(ParsedDocument doc) {
        List<InputWarning> warnings = new ArrayList<>();
        LoadContext ctx = new LoadContext(doc, warnings);
        JsonNode root = doc.root();

        // Managed policies by ARN (default version only).
        Map<String, Policy> managed = new LinkedHashMap<>();
        JsonNode pols = ctx.list(root.get("Policies"), "", "Policies");
        for (int i = 0; i < pols.size(); i++) {
            JsonNode p = pols.get(i);
            if (!p.isObject()) {
                ctx.warn("entry " + i + " of Policies is " + LoadContext.kind(p) + ", not an object; skipped",
                        "/Policies/" + i);
                continue;
            }
            String arn = p.path("Arn").asText(null);
            String ptr = "/Policies/" + SourceMap.segment(arn != null ? arn : String.valueOf(i));
            ctx.alias(ptr, "/Policies/" + i);
            String name = p.path("PolicyName").asText(arn);
            PolicyDocument document = null;
            JsonNode versions = array(p.path("PolicyVersionList"));
            boolean found = false;
            for (int v = 0; v < versions.size(); v++) {
                JsonNode ver = versions.get(v);
                if (ver.path("IsDefaultVersion").asBoolean(false)
                        || ver.path("VersionId").asText("").equals(p.path("DefaultVersionId").asText("-"))) {
                    ctx.alias(ptr + "/Document", "/Policies/" + i + "/PolicyVersionList/" + v + "/Document");
                    document = ctx.policy(ver.get("Document"), ptr + "/Document");
                    found = true;
                    break;
                }
            }
            if (!found) {
                ctx.warn("managed policy " + name + " has no default version in PolicyVersionList", ptr);
            }
            PolicyKind kind = Aws.isAwsManagedArn(arn) ? PolicyKind.AWS_MANAGED : PolicyKind.CUSTOMER_MANAGED;
            Policy policy = new Policy(name, kind, arn, document, ctx.origin(ptr));
            if (arn != null) {
                managed.put(arn, policy);
            }
        }
        Set<String> attached = new HashSet<>();

        // Groups first: users inherit their groups' policies.
        Map<String, List<Policy>> groupPolicies = new LinkedHashMap<>();
        JsonNode groups = ctx.list(root.get("GroupDetailList"), "", "GroupDetailList");
        for (int i = 0; i < groups.size(); i++) {
            JsonNode g = groups.get(i);
            if (!g.isObject()) {
                ctx.warn("entry " + i + " of GroupDetailList is " + LoadContext.kind(g) + ", not an object; skipped",
                        "/GroupDetailList/" + i);
                continue;
            }
            String ptr = entity(ctx, "/GroupDetailList", i, g.path("GroupName").asText(""));
            List<Policy> list = new ArrayList<>();
            inline(ctx, array(g.path("GroupPolicyList")), ptr + "/GroupPolicyList", list);
            attachedManaged(ctx, array(g.path("AttachedManagedPolicies")), ptr + "/AttachedManagedPolicies", managed,
                    attached, list);
            groupPolicies.put(g.path("GroupName").asText(""), list);
        }

        List<Role> roles = new ArrayList<>();
        JsonNode roleList = ctx.list(root.get("RoleDetailList"), "", "RoleDetailList");
        for (int i = 0; i < roleList.size(); i++) {
            JsonNode r = roleList.get(i);
            if (!r.isObject()) {
                ctx.warn("entry " + i + " of RoleDetailList is " + LoadContext.kind(r) + ", not an object; skipped",
                        "/RoleDetailList/" + i);
                continue;
            }
            String ptr = entity(ctx, "/RoleDetailList", i, r.path("RoleName").asText(""));
            List<Policy> list = new ArrayList<>();
            inline(ctx, array(r.path("RolePolicyList")), ptr + "/RolePolicyList", list);
            attachedManaged(ctx, array(r.path("AttachedManagedPolicies")), ptr + "/AttachedManagedPolicies", managed,
                    attached, list);
            Policy boundary = boundary(ctx, r.path("PermissionsBoundary"), ptr + "/PermissionsBoundary", managed,
                    attached);
            PolicyDocument trust = r.has("AssumeRolePolicyDocument")
                    ? ctx.policy(r.get("AssumeRolePolicyDocument"), ptr + "/AssumeRolePolicyDocument") : null;
            roles.add(new Role(r.path("RoleName").asText(null), r.path("Arn").asText(null), list, boundary, trust,
                    ctx.origin(ptr)));
        }
        JsonNode users = ctx.list(root.get("UserDetailList"), "", "UserDetailList");
        for (int i = 0; i < users.size(); i++) {
            JsonNode u = users.get(i);
            if (!u.isObject()) {
                ctx.warn("entry " + i + " of UserDetailList is " + LoadContext.kind(u) + ", not an object; skipped",
                        "/UserDetailList/" + i);
                continue;
            }
            String ptr = entity(ctx, "/UserDetailList", i, u.path("UserName").asText(""));
            List<Policy> list = new ArrayList<>();
            inline(ctx, array(u.path("UserPolicyList")), ptr + "/UserPolicyList", list);
            attachedManaged(ctx, array(u.path("AttachedManagedPolicies")), ptr + "/AttachedManagedPolicies", managed,
                    attached, list);
            for (JsonNode g : u.path("GroupList")) {
                list.addAll(groupPolicies.getOrDefault(g.asText(), List.of()));
            }
            Policy boundary = boundary(ctx, u.path("PermissionsBoundary"), ptr + "/PermissionsBoundary", managed,
                    attached);
            roles.add(new Role(u.path("UserName").asText(null), u.path("Arn").asText(null), list, boundary, null,
                    ctx.origin(ptr)));
        }
        List<Policy> standalone = new ArrayList<>();
        for (Map.Entry<String, Policy> e : managed.entrySet()) {
            if (!attached.contains(e.getKey())) {
                standalone.add(e.getValue());
            }
        }
        return new ServerlessApp(List.of(), roles, standalone, warnings);
    }

    /** The node when it is an array, else an empty array (malformed dumps never crash the load). */
    private static JsonNode array(JsonNode n) {
        return n != null && n.isArray() ? n : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    /** The logical pointer of a role/user/group: by name, located at its place in the list. */
    private static String entity(LoadContext ctx, String list, int index, String name) {
        String logical = list + "/" + SourceMap.segment(name.isEmpty() ? String.valueOf(index) : name);
        ctx.alias(logical, list + "/" + index);
        return logical;
    }

    private static void inline(LoadContext ctx, JsonNode list, String ptr, List<Policy> out) {
        for (int j = 0; j < list.size(); j++) {
            JsonNode p = list.get(j);
            String name = p.path("PolicyName").asText("");
            String pp = ptr + "/" + SourceMap.segment(name.isEmpty() ? String.valueOf(j) : name);
            ctx.alias(pp, ctx.physical(ptr) + "/" + j);
            PolicyDocument d = ctx.policy(p.get("PolicyDocument"), pp + "/PolicyDocument");
            out.add(new Policy(p.path("PolicyName").asText("inline-" + j), PolicyKind.INLINE, null, d, ctx.origin(pp)));
        }
    }

    private static void attachedManaged(LoadContext ctx, JsonNode list, String ptr, Map<String, Policy> managed,
                                        Set<String> attached, List<Policy> out) {
        for (int j = 0; j < list.size(); j++) {
            JsonNode a = list.get(j);
            String arn = a.path("PolicyArn").asText(null);
            if (arn == null) {
                ctx.warn("attached managed policy without PolicyArn", ptr + "/" + j);
                continue;
            }
            String ap = ptr + "/" + SourceMap.segment(arn);
            ctx.alias(ap, ctx.physical(ptr) + "/" + j);
            Origin origin = ctx.origin(ap);
            attached.add(arn);
            Policy p = managed.get(arn);
            if (p != null) {
                out.add(new Policy(p.name(), p.kind(), arn, p.document(), origin));
            } else {
                Policy m = Aws.managedPolicy(arn, origin);
                out.add(new Policy(a.path("PolicyName").asText(m.name()), m.kind(), m.arn(), null, origin));
            }
        }
    }

    private static Policy boundary(LoadContext ctx, JsonNode b, String ptr, Map<String, Policy> managed,
                                   Set<String> attached) {
        String arn = b.path("PermissionsBoundaryArn").asText(null);
        if (arn == null) {
            return null;
        }
        attached.add(arn); // a boundary limits; it never stands alone as a grant
        Policy p = managed.get(arn);
        return new Policy(p != null ? p.name() : Aws.lastSegment(arn), PolicyKind.PERMISSIONS_BOUNDARY, arn,
                p == null ? null : p.document(), ctx.origin(ptr));
    }
}
