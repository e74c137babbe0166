package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.document.SourceMap;
import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.iam.parse.PolicyParser;
import dev.posture.source.InputKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code terraform show -json} plan output. Resources come from {@code planned_values} (root and
 * child modules, recursively), or {@code prior_state.values} when there are no planned values.
 * Policy documents arrive as JSON strings: their statements point at the attribute holding the
 * string. Origins name resources by address ({@code /module.api.aws_iam_role.this/values/…}) so that
 * they stay stable when resources are added; locations are the resources' places in the plan.
 * Where a link value is known only after apply, the {@code configuration} expressions'
 * {@code references} (e.g. {@code aws_iam_role.lambda.arn}) link it.
 */
public final class TerraformPlanLoader extends DocumentLoader {

    @Override
    public InputKind kind() {
        return InputKind.TERRAFORM_PLAN;
    }

    @Override
    public boolean recognises(ParsedDocument doc) {
        JsonNode r = doc.root();
        return r != null && r.isObject() && r.has("format_version")
                && ServerlessLoaders.hasAnyField(r, "planned_values", "configuration", "resource_changes",
                "prior_state");
    }

    /** One resource instance of the plan; {@code ptr} is its logical pointer {@code /<address>}. */
    private record Res(String address, String configKey, String modulePrefix, String type, JsonNode values,
                       String ptr) {
        String text(String attr) {
            JsonNode v = values.get(attr);
            return v == null || v.isNull() ? null : v.asText();
        }

        JsonNode first(String block) {
            JsonNode b = values.get(block);
            return b != null && b.isArray() && b.size() > 0 ? b.get(0) : null;
        }
    }

    @Override
    public ServerlessApp load(ParsedDocument doc) {
        return new Plan(doc).load();
    }

    /** The node when it is an array, else an empty array (malformed plans never crash the load). */
    static JsonNode array(JsonNode n) {
        return n != null && n.isArray() ? n : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    private static final class Plan {
        private final LoadContext ctx;
        private final JsonNode root;
        private final List<Res> resources = new ArrayList<>();
        private final Map<String, JsonNode> expressions = new HashMap<>();
        private final Map<String, JsonNode> moduleConfigs = new HashMap<>();
        private final Map<String, JsonNode> callExpressions = new HashMap<>();
        private final Map<String, String> parents = new HashMap<>();
        private final Map<String, RoleDraft> roleIndex = new HashMap<>();
        private final Map<String, RoleDraft> roles = new LinkedHashMap<>();
        private final Map<String, Policy> policyIndex = new HashMap<>();
        private final Map<String, Policy> policies = new LinkedHashMap<>();
        private final java.util.Set<Policy> attached = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        private final Map<String, FunctionDraft> fnIndex = new HashMap<>();
        private final Map<String, FunctionDraft> functions = new LinkedHashMap<>();
        private final List<Policy> standalone = new ArrayList<>();

        Plan(ParsedDocument doc) {
            this.ctx = new LoadContext(doc, new ArrayList<>());
            this.root = doc.root();
        }

        ServerlessApp load() {
            JsonNode pv = root.path("planned_values").get("root_module");
            String base = "/planned_values/root_module";
            if (pv == null) {
                pv = root.path("prior_state").path("values").get("root_module");
                base = "/prior_state/values/root_module";
            }
            if (pv == null) {
                ctx.warn("plan has neither planned_values nor prior_state values; nothing to analyse", "");
                return new ServerlessApp(List.of(), List.of(), List.of(), ctx.warnings);
            }
            walk(pv, base);
            JsonNode conf = root.path("configuration").get("root_module");
            if (conf != null) {
                config(conf, "");
            }
            for (Res r : resources) {
                switch (r.type()) {
                    case "aws_iam_policy" -> managedPolicy(r);
                    case "aws_iam_role" -> role(r);
                    default -> { }
                }
            }
            for (Res r : resources) {
                switch (r.type()) {
                    case "aws_iam_role_policy" -> rolePolicy(r);
                    case "aws_iam_role_policy_attachment" -> attachment(r);
                    case "aws_iam_policy_attachment" -> policyAttachment(r);
                    case "aws_lambda_function" -> function(r);
                    default -> { }
                }
            }
            for (Res r : resources) {
                switch (r.type()) {
                    case "aws_lambda_permission" -> permission(r);
                    case "aws_lambda_function_url" -> url(r);
                    case "aws_lambda_event_source_mapping" -> {
                        FunctionDraft f = fn(r, "function_name");
                        if (f != null) {
                            f.invokedBy(false);
                        }
                    }
                    case "aws_lambda_function_event_invoke_config" -> invokeConfig(r);
                    default -> { }
                }
            }
            List<LambdaFunction> fns = new ArrayList<>();
            functions.values().forEach(f -> fns.add(f.build()));
            List<Role> unused = new ArrayList<>();
            roles.values().forEach(r -> {
                if (!r.used) {
                    unused.add(r.build());
                }
            });
            List<Policy> pols = new ArrayList<>(standalone);
            policies.values().forEach(p -> {
                if (!attached.contains(p)) {
                    pols.add(p);
                }
            });
            return new ServerlessApp(fns, unused, pols, ctx.warnings);
        }

        private void walk(JsonNode module, String ptr) {
            if (!module.isObject()) {
                ctx.warn("module is " + LoadContext.kind(module) + ", not an object; ignored", ptr);
                return;
            }
            JsonNode rs = ctx.list(module.get("resources"), ptr + "/resources", "resources");
            for (int i = 0; i < rs.size(); i++) {
                JsonNode r = rs.get(i);
                if (!r.isObject()) {
                    ctx.warn("resource " + i + " is " + LoadContext.kind(r) + ", not an object; skipped",
                            ptr + "/resources/" + i);
                    continue;
                }
                if (!"managed".equals(r.path("mode").asText("managed"))) {
                    continue;
                }
                String address = r.path("address").asText();
                String configKey = address.replaceAll("\\[[^]]*]", "");
                String type = r.path("type").asText();
                String prefix = configKey.endsWith(type + "." + r.path("name").asText())
                        ? configKey.substring(0, configKey.length() - (type + "." + r.path("name").asText()).length())
                        : "";
                JsonNode values = r.get("values");
                if (values == null || !values.isObject()) {
                    continue;
                }
                // origins name the resource by address (stable), located at its place in the plan
                String logical = "/" + SourceMap.segment(address);
                ctx.alias(logical, ptr + "/resources/" + i);
                resources.add(new Res(address, configKey, prefix, type, values, logical));
            }
            JsonNode children = ctx.list(module.get("child_modules"), ptr + "/child_modules", "child_modules");
            for (int i = 0; i < children.size(); i++) {
                walk(children.get(i), ptr + "/child_modules/" + i);
            }
        }

        private void config(JsonNode module, String prefix) {
            moduleConfigs.put(prefix, module);
            for (JsonNode r : module.path("resources")) {
                expressions.put(prefix + r.path("address").asText(), r.path("expressions"));
            }
            for (var e : module.path("module_calls").properties()) {
                String child = prefix + "module." + e.getKey() + ".";
                callExpressions.put(child, e.getValue().path("expressions"));
                parents.put(child, prefix);
                config(e.getValue().path("module"), child);
            }
        }

        /**
         * Resource addresses an attribute's configuration expression references: resources of the
         * same module, and through module input variables ({@code var.x} → the calling module's
         * expression) and module outputs ({@code module.m.out} → the output's expression).
         */
        private List<String> references(Res r, String attr) {
            List<String> out = new ArrayList<>();
            JsonNode exprs = expressions.get(r.configKey());
            if (exprs != null) {
                resolve(exprs.path(attr).path("references"), r.modulePrefix(), out, 0, new java.util.HashSet<>());
            }
            return out;
        }

        /**
         * @param seen references already followed (module prefix + reference): a variable and a module
         *             output that refer to each other, with repeated references, made this exponential
         */
        private void resolve(JsonNode refs, String prefix, List<String> out, int depth, java.util.Set<String> seen) {
            if (depth > 16) {
                return;
            }
            for (JsonNode ref : refs) {
                if (!seen.add(prefix + "\u0000" + ref.asText())) {
                    continue;
                }
                String[] parts = ref.asText().replaceAll("\\[[^]]*]", "").split("\\.");
                if (parts.length < 2) {
                    continue;
                }
                switch (parts[0]) {
                    case "var" -> {
                        String parent = parents.get(prefix);
                        JsonNode call = callExpressions.get(prefix);
                        if (parent != null && call != null) {
                            resolve(call.path(parts[1]).path("references"), parent, out, depth + 1, seen);
                        }
                    }
                    case "module" -> {
                        if (parts.length >= 3) {
                            String child = prefix + "module." + parts[1] + ".";
                            JsonNode module = moduleConfigs.get(child);
                            if (module != null) {
                                resolve(module.path("outputs").path(parts[2]).path("expression").path("references"),
                                        child, out, depth + 1, seen);
                            }
                        }
                    }
                    case "local", "each", "count", "data", "path", "self", "terraform" -> { }
                    default -> {
                        String address = prefix + parts[0] + "." + parts[1];
                        if (!out.contains(address)) {
                            out.add(address);
                        }
                    }
                }
            }
        }

        private String attrPtr(Res r, String attr) {
            return r.ptr() + "/values/" + SourceMap.segment(attr);
        }

        private PolicyDocument doc(Res r, String attr) {
            JsonNode v = r.values().get(attr);
            if (v == null || v.isNull()) {
                ctx.warn(r.address() + "." + attr + " is known only after apply; its statements cannot be analysed",
                        r.ptr());
                return null;
            }
            if (v.isTextual() && v.asText().isBlank()) {
                return null;
            }
            return ctx.policy(v, attrPtr(r, attr));
        }

        private void index(Map<String, ?> idx, Object value, String... keys) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) idx;
            for (String k : keys) {
                if (k != null && !k.isBlank()) {
                    m.putIfAbsent(k, value);
                }
            }
        }

        private void managedPolicy(Res r) {
            String name = r.text("name") != null ? r.text("name") : r.address();
            Policy p = new Policy(name, PolicyKind.CUSTOMER_MANAGED, r.text("arn"), doc(r, "policy"),
                    ctx.origin(r.ptr()));
            policies.put(r.configKey() + "#" + r.address(), p);
            index(policyIndex, p, r.text("arn"), r.configKey(), r.address());
        }

        private void role(Res r) {
            String name = r.text("name") != null ? r.text("name") : r.address();
            RoleDraft d = new RoleDraft(name, r.text("arn"), ctx.origin(r.ptr()));
            if (r.values().has("assume_role_policy")) {
                d.trustPolicy = doc(r, "assume_role_policy");
            }
            JsonNode inline = array(r.values().path("inline_policy"));
            for (int i = 0; i < inline.size(); i++) {
                JsonNode ip = inline.get(i);
                String policy = ip.path("policy").asText("");
                if (policy.isBlank()) {
                    continue;
                }
                String ptr = attrPtr(r, "inline_policy") + "/" + i;
                d.policies.add(new Policy(ip.path("name").asText("inline-" + i), PolicyKind.INLINE, null,
                        ctx.policy(ip.get("policy"), ptr + "/policy"), ctx.origin(ptr)));
            }
            JsonNode arns = array(r.values().path("managed_policy_arns"));
            for (int i = 0; i < arns.size(); i++) {
                d.policies.add(managedRef(arns.get(i).asText(), attrPtr(r, "managed_policy_arns") + "/" + i, null));
            }
            if (!r.values().has("managed_policy_arns")) {
                // known after apply: link the policies its expression references
                for (String ref : references(r, "managed_policy_arns")) {
                    if (ref.contains("aws_iam_policy.")) {
                        d.policies.add(managedRef(null, r.ptr(), List.of(ref)));
                    }
                }
            }
            String boundary = r.text("permissions_boundary");
            if (boundary != null && !boundary.isBlank()) {
                d.permissionsBoundary = CfnTemplate.asBoundary(managedRef(boundary, attrPtr(r, "permissions_boundary"),
                        null));
            }
            roles.put(r.address(), d);
            index(roleIndex, d, r.text("arn"), r.text("name"), r.text("id"), r.configKey(), r.address());
        }

        private Policy managedRef(String arn, String ptr, List<String> refs) {
            Policy p = arn == null ? null : policyIndex.get(arn);
            if (p == null && refs != null) {
                for (String ref : refs) {
                    p = policyIndex.get(ref);
                    if (p != null) {
                        break;
                    }
                }
            }
            if (p != null) {
                attached.add(p);
                return new Policy(p.name(), p.kind(), p.arn(), p.document(), ctx.origin(ptr));
            }
            if (arn == null) {
                ctx.warn("policy ARN is known only after apply and does not reference a policy in this plan", ptr);
                return new Policy("(known after apply)", PolicyKind.CUSTOMER_MANAGED, null, null, ctx.origin(ptr));
            }
            return Aws.managedPolicy(arn, ctx.origin(ptr));
        }

        private RoleDraft roleRef(Res r, String attr) {
            String v = r.text(attr);
            RoleDraft d = null;
            if (v != null) {
                d = roleIndex.get(v);
                if (d == null) {
                    d = roleIndex.get(Aws.roleNameFromArn(v));
                }
            }
            if (d == null) {
                for (String ref : references(r, attr)) {
                    d = roleIndex.get(ref);
                    if (d != null) {
                        break;
                    }
                }
            }
            return d;
        }

        private void rolePolicy(Res r) {
            RoleDraft role = roleRef(r, "role");
            String name = r.text("name") != null ? r.text("name") : r.address();
            Policy p = new Policy(name, PolicyKind.INLINE, null, doc(r, "policy"), ctx.origin(r.ptr()));
            if (role != null) {
                role.policies.add(p);
            } else {
                ctx.warn(r.address() + ": role " + r.text("role") + " is not in this plan", attrPtr(r, "role"));
                standalone.add(p);
            }
        }

        private void attachment(Res r) {
            RoleDraft role = roleRef(r, "role");
            Policy p = atPolicyArn(r, managedRef(r.text("policy_arn"), r.ptr(), references(r, "policy_arn")));
            if (role != null) {
                role.policies.add(p);
            } else {
                ctx.warn(r.address() + ": role " + r.text("role") + " is not in this plan", attrPtr(r, "role"));
            }
        }

        /**
         * An attachment's policy located at its {@code policy_arn} line when the plan has the value (findings
         * on the policy's statements are reported where it is attached); the pointer stays the resource's.
         */
        private Policy atPolicyArn(Res r, Policy p) {
            if (r.text("policy_arn") == null) {
                return p;
            }
            Origin at = Origin.file(ctx.origin(attrPtr(r, "policy_arn")).location(), p.origin().pointer());
            return new Policy(p.name(), p.kind(), p.arn(), p.document(), at);
        }

        /** aws_iam_policy_attachment: one managed policy, a list of roles (users/groups ignored). */
        private void policyAttachment(Res r) {
            JsonNode roleNames = array(r.values().path("roles"));
            List<RoleDraft> targets = new ArrayList<>();
            for (JsonNode n : roleNames) {
                RoleDraft d = roleIndex.get(n.asText());
                if (d != null) {
                    targets.add(d);
                }
            }
            if (targets.isEmpty()) {
                for (String ref : references(r, "roles")) {
                    RoleDraft d = roleIndex.get(ref);
                    if (d != null && !targets.contains(d)) {
                        targets.add(d);
                    }
                }
            }
            if (targets.isEmpty()) {
                return;
            }
            Policy p = atPolicyArn(r, managedRef(r.text("policy_arn"), r.ptr(), references(r, "policy_arn")));
            for (RoleDraft d : targets) {
                d.policies.add(p);
            }
        }

        private void function(Res r) {
            String name = r.text("function_name") != null ? r.text("function_name") : r.address();
            FunctionDraft f = new FunctionDraft(name, ctx.origin(r.ptr()));
            f.arn = r.text("arn");
            f.runtime = r.text("runtime");
            f.packageType = r.text("package_type") != null ? r.text("package_type") : "Zip";
            f.imageUri = r.text("image_uri");
            JsonNode env = r.first("environment");
            if (env != null) {
                String ptr = attrPtr(r, "environment") + "/0/variables";
                for (var e : env.path("variables").properties()) {
                    JsonNode v = e.getValue();
                    f.env(new EnvVar(e.getKey(), v.isValueNode() && !v.isNull() ? v.asText() : null,
                            ctx.origin(ptr + "/" + SourceMap.segment(e.getKey()))));
                }
            }
            JsonNode tracing = r.first("tracing_config");
            f.tracingMode = tracing == null ? null : tracing.path("mode").asText(null);
            JsonNode dlq = r.first("dead_letter_config");
            if (dlq != null && dlq.hasNonNull("target_arn")) {
                f.deadLetterTarget = dlq.get("target_arn").asText();
            } else if (dlq != null) {
                f.deadLetterTarget = "(known after apply)";
            }
            String csc = r.text("code_signing_config_arn");
            f.codeSigningConfigArn = csc == null || csc.isBlank() ? null : csc;
            RoleDraft role = roleRef(r, "role");
            if (role == null && r.text("role") != null) {
                String arn = r.text("role");
                role = roles.computeIfAbsent("external:" + arn,
                        k -> new RoleDraft(Aws.roleNameFromArn(arn), arn, ctx.origin(attrPtr(r, "role"))));
            }
            if (role == null) {
                ctx.warn(r.address() + ": execution role is known only after apply and not linked to a role in "
                        + "this plan", r.ptr());
            } else {
                role.used = true;
            }
            f.role = role;
            functions.put(r.address(), f);
            index(fnIndex, f, name, r.text("arn"), r.text("invoke_arn"), r.configKey(), r.address());
        }

        private FunctionDraft fn(Res r, String attr) {
            String v = r.text(attr);
            FunctionDraft f = null;
            if (v != null) {
                f = fnIndex.get(v);
                if (f == null && Aws.functionNameFromArn(v) != null) {
                    f = fnIndex.get(Aws.functionNameFromArn(v));
                }
            }
            if (f == null) {
                for (String ref : references(r, attr)) {
                    f = fnIndex.get(ref);
                    if (f != null) {
                        break;
                    }
                }
            }
            if (f == null && v != null) {
                String name = Aws.functionNameFromArn(v) != null ? Aws.functionNameFromArn(v) : v;
                f = functions.computeIfAbsent("external:" + name, k -> {
                    FunctionDraft d = new FunctionDraft(name, ctx.origin(r.ptr()));
                    d.arn = v.startsWith("arn:") ? v : null;
                    return d;
                });
                fnIndex.put(name, f);
            }
            if (f == null) {
                ctx.warn(r.address() + ": " + attr + " is known only after apply and not linked to a function",
                        r.ptr());
            }
            return f;
        }

        private void permission(Res r) {
            FunctionDraft f = fn(r, "function_name");
            if (f == null) {
                return;
            }
            String principal = r.text("principal");
            String resource = f.arn != null ? f.arn : r.text("function_name");
            String qualifier = r.text("qualifier");
            if (qualifier != null && !qualifier.isBlank() && resource != null) {
                resource = resource + ":" + qualifier;
            }
            Statement s = Aws.permissionStatement(r.text("statement_id"), r.text("action"), principal, resource,
                    r.text("source_arn"), r.text("source_account"), r.text("principal_org_id"),
                    r.text("function_url_auth_type"), ctx.origin(r.ptr()));
            f.permissions.add(s);
            if (Aws.isAsyncService(principal)) {
                f.invokedBy(true);
            } else if (principal != null && Aws.isService(principal)) {
                f.invokedBy(false);
            }
        }

        private void url(Res r) {
            FunctionDraft f = fn(r, "function_name");
            if (f == null) {
                return;
            }
            JsonNode cors = r.first("cors");
            List<String> origins = cors == null ? List.of() : PolicyParser.strings(cors.get("allow_origins"));
            boolean cred = cors != null && cors.path("allow_credentials").asBoolean(false);
            String q = r.text("qualifier");
            f.urls.add(new FunctionUrl(r.text("authorization_type"), origins, cred, q == null || q.isBlank() ? null : q,
                    ctx.origin(r.ptr())));
        }

        private void invokeConfig(Res r) {
            FunctionDraft f = fn(r, "function_name");
            if (f == null) {
                return;
            }
            f.invokedBy(true);
            JsonNode dc = r.first("destination_config");
            if (dc != null) {
                JsonNode of = dc.path("on_failure");
                if (of.isArray() && of.size() > 0 && f.deadLetterTarget == null) {
                    f.deadLetterTarget = of.get(0).path("destination").asText("(known after apply)");
                }
            }
        }
    }
}
