package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.iam.parse.Intrinsics;
import dev.posture.iam.parse.PolicyParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The resources of one CloudFormation template (or a serverless.yml {@code resources} block). */
final class CfnTemplate {
    /** SAM event types that invoke the function asynchronously. */
    static final Set<String> ASYNC_EVENTS = Set.of("S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule",
            "ScheduleV2", "IoTRule", "CloudWatchLogs", "Cognito", "AlexaSkill");
    /** SAM event types that invoke it synchronously (or poll it). */
    static final Set<String> SYNC_EVENTS = Set.of("Api", "HttpApi", "SQS", "Kinesis", "DynamoDB", "MSK", "MQ",
            "SelfManagedKafka", "DocumentDB");

    /** Managed policies SAM attaches to an implicit role for poller event sources. */
    static final Map<String, String> POLLER_POLICIES = Map.of(
            "SQS", "AWSLambdaSQSQueueExecutionRole",
            "Kinesis", "AWSLambdaKinesisExecutionRole",
            "DynamoDB", "AWSLambdaDynamoDBExecutionRole",
            "MSK", "AWSLambdaMSKExecutionRole");

    /** A value and the pointer it was found at. */
    record Located(JsonNode node, String ptr) {
        boolean present() {
            return node != null && !node.isNull() && !node.isMissingNode();
        }

        String text() {
            return present() ? Intrinsics.text(node) : null;
        }

        /** The text when the value is a literal, null when it is an expression or absent. */
        String literal() {
            return present() && node.isValueNode() ? node.asText() : null;
        }

        Located get(String key) {
            return new Located(node == null ? null : node.get(key), ptr + "/" + key);
        }
    }

    final LoadContext ctx;
    private final JsonNode resources;
    private final String base;
    private final JsonNode globals;
    private final String globalsPtr;

    final Map<String, RoleDraft> roles = new LinkedHashMap<>();
    private final Map<String, RoleDraft> externalRoles = new LinkedHashMap<>();
    private final Map<String, Policy> managed = new LinkedHashMap<>();
    private final Set<String> attachedManaged = new java.util.HashSet<>();
    final Map<String, FunctionDraft> functions = new LinkedHashMap<>();
    private final Map<String, FunctionDraft> externalFunctions = new LinkedHashMap<>();
    private final List<Policy> standalone = new ArrayList<>();
    private boolean visitingAlias;

    CfnTemplate(LoadContext ctx, JsonNode resources, String base, JsonNode globals, String globalsPtr) {
        this.ctx = ctx;
        this.resources = resources;
        this.base = base;
        this.globals = globals;
        this.globalsPtr = globalsPtr;
    }

    private List<Map.Entry<String, JsonNode>> ofType(String type) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        resources.properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.add(e);
            }
        });
        return out;
    }

    private String ptr(String logical) {
        return base + "/" + dev.posture.document.SourceMap.segment(logical);
    }

    private Located props(String logical) {
        return new Located(resources.path(logical).get("Properties"), ptr(logical) + "/Properties");
    }

    void process() {
        processIam();
        processFunctions();
    }

    /** Resource types whose policy attribute holds a resource policy of another service. */
    private static final Map<String, String> RESOURCE_POLICIES = new java.util.LinkedHashMap<>(Map.of(
            "AWS::KMS::Key", "KeyPolicy", "AWS::S3::BucketPolicy", "PolicyDocument",
            "AWS::SQS::QueuePolicy", "PolicyDocument", "AWS::SNS::TopicPolicy", "PolicyDocument"));

    /**
     * Key, bucket, queue and topic policies: read (as objects or JSON strings, like every policy
     * CloudFormation accepts) so what cannot be read or names a misspelt action is reported; they
     * grant on their own resource only and are never judged as identity policies.
     */
    private void resourcePolicies() {
        for (Map.Entry<String, String> rp : RESOURCE_POLICIES.entrySet()) {
            for (var e : ofType(rp.getKey())) {
                Located p = props(e.getKey());
                Located doc = p.get(rp.getValue());
                if (!doc.present()) {
                    continue;
                }
                PolicyDocument d = ctx.policy(doc.node(), doc.ptr());
                standalone.add(new Policy(e.getKey(), PolicyKind.RESOURCE, null, d, ctx.origin(ptr(e.getKey()))));
            }
        }
    }

    /** IAM resources: managed policies, roles, policies and their attachments. */
    void processIam() {
        for (var e : ofType("AWS::IAM::ManagedPolicy")) {
            Located p = props(e.getKey());
            PolicyDocument d = ctx.policy(p.get("PolicyDocument").node(), p.ptr() + "/PolicyDocument");
            String name = p.get("ManagedPolicyName").literal();
            managed.put(e.getKey(), new Policy(name != null ? name : e.getKey(), PolicyKind.CUSTOMER_MANAGED, null, d,
                    ctx.origin(ptr(e.getKey()))));
        }
        for (var e : ofType("AWS::IAM::Role")) {
            role(e.getKey());
        }
        resourcePolicies();
        for (var e : ofType("AWS::IAM::ManagedPolicy")) {
            Located p = props(e.getKey());
            attachToRoles(p.get("Roles"), managed.get(e.getKey()), e.getKey(), true);
        }
        for (var e : ofType("AWS::IAM::RolePolicy")) {
            Located p = props(e.getKey());
            PolicyDocument d = ctx.policy(p.get("PolicyDocument").node(), p.ptr() + "/PolicyDocument");
            String name = p.get("PolicyName").text();
            Policy policy = new Policy(name != null ? name : e.getKey(), PolicyKind.INLINE, null, d,
                    ctx.origin(ptr(e.getKey())));
            RoleDraft r = p.get("RoleName").present() ? templateRole(p.get("RoleName").node()) : null;
            if (r != null) {
                r.policies.add(policy);
            } else {
                standalone.add(policy);
            }
        }
        for (var e : ofType("AWS::IAM::Policy")) {
            Located p = props(e.getKey());
            PolicyDocument d = ctx.policy(p.get("PolicyDocument").node(), p.ptr() + "/PolicyDocument");
            String name = p.get("PolicyName").text();
            Policy policy = new Policy(name != null ? name : e.getKey(), PolicyKind.INLINE, null, d,
                    ctx.origin(ptr(e.getKey())));
            if (!attachToRoles(p.get("Roles"), policy, e.getKey(), false)) {
                standalone.add(policy);
            }
        }
    }

    /** Functions and what configures them: permissions, URLs, invoke configs, event source mappings. */
    void processFunctions() {
        for (var e : ofType("AWS::Serverless::Function")) {
            samFunction(e.getKey());
        }
        for (var e : ofType("AWS::Lambda::Function")) {
            lambdaFunction(e.getKey());
        }
        for (var e : ofType("AWS::Lambda::Permission")) {
            permission(e.getKey());
        }
        for (var e : ofType("AWS::Lambda::Url")) {
            url(e.getKey());
        }
        for (var e : ofType("AWS::Lambda::EventInvokeConfig")) {
            Located p = props(e.getKey());
            FunctionDraft f = function(p.get("FunctionName"));
            if (f != null) {
                f.invokedBy(true);
                Located dest = p.get("DestinationConfig").get("OnFailure").get("Destination");
                if (dest.present() && f.deadLetterTarget == null) {
                    f.deadLetterTarget = dest.text();
                }
            }
        }
        for (var e : ofType("AWS::Lambda::EventSourceMapping")) {
            FunctionDraft f = function(props(e.getKey()).get("FunctionName"));
            if (f != null) {
                f.invokedBy(false);
            }
        }
    }

    ServerlessApp build() {
        List<LambdaFunction> fns = new ArrayList<>();
        for (FunctionDraft f : functions.values()) {
            fns.add(f.build());
        }
        for (FunctionDraft f : externalFunctions.values()) {
            fns.add(f.build());
        }
        List<Role> unused = new ArrayList<>();
        for (RoleDraft r : roles.values()) {
            if (!r.used) {
                unused.add(r.build());
            }
        }
        List<Policy> policies = new ArrayList<>(standalone);
        for (var e : managed.entrySet()) {
            if (!attachedManaged.contains(e.getKey())) {
                policies.add(e.getValue());
            }
        }
        return new ServerlessApp(fns, unused, policies, ctx.warnings);
    }

    // ------------------------------------------------------------------ IAM

    private void role(String logical) {
        Located p = props(logical);
        RoleDraft r = new RoleDraft(logical, null, ctx.origin(ptr(logical)));
        String roleName = p.get("RoleName").literal();
        if (roleName != null) {
            r.aliases.add(roleName);
        }
        Located inline = p.get("Policies");
        if (inline.present()) {
            forEachItem(inline, item -> {
                Located doc = item.get("PolicyDocument");
                PolicyDocument d = ctx.policy(doc.node(), doc.ptr());
                String name = item.get("PolicyName").text();
                r.policies.add(new Policy(name != null ? name : logical + "Policy", PolicyKind.INLINE, null, d,
                        ctx.origin(item.ptr())));
            });
        }
        Located arns = p.get("ManagedPolicyArns");
        if (arns.present()) {
            forEachItem(arns, item -> r.policies.add(managedRef(item, false)));
        }
        Located boundary = p.get("PermissionsBoundary");
        if (boundary.present()) {
            r.permissionsBoundary = asBoundary(managedRef(boundary, false));
        }
        Located trust = p.get("AssumeRolePolicyDocument");
        if (trust.present()) {
            r.trustPolicy = ctx.policy(trust.node(), trust.ptr());
        }
        roles.put(logical, r);
    }

    static Policy asBoundary(Policy p) {
        return new Policy(p.name(), PolicyKind.PERMISSIONS_BOUNDARY, p.arn(), p.document(), p.origin());
    }

    /** Visits each element of a list value ({@code Fn::If} elements: both branches; NoValue dropped). */
    void forEachItem(Located list, java.util.function.Consumer<Located> visitor) {
        JsonNode n = list.node();
        if (n == null || n.isNull()) {
            return;
        }
        if (PolicyParser.isIf(n)) {
            PolicyParser.ifBranches(n, list.ptr(), (b, p) -> forEachItem(new Located(b, p), visitor));
            return;
        }
        if (!n.isArray()) {
            if (Intrinsics.isIntrinsic(n) && !n.has("Ref") && !n.has("Fn::Sub") && !n.has("Fn::GetAtt")
                    && !n.has("Fn::Join")) {
                ctx.warn("list is a CloudFormation expression (" + Intrinsics.describe(n)
                        + ") that cannot be resolved statically", list.ptr());
                return;
            }
            visitor.accept(list);
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode el = n.get(i);
            String p = list.ptr() + "/" + i;
            if (PolicyParser.isIf(el)) {
                PolicyParser.ifBranches(el, p, (b, bp) -> {
                    if (b.isArray()) {
                        forEachItem(new Located(b, bp), visitor);
                    } else {
                        visitor.accept(new Located(b, bp));
                    }
                });
            } else if (!PolicyParser.isNoValue(el) && !el.isNull()) {
                visitor.accept(new Located(el, p));
            }
        }
    }

    /**
     * A managed policy reference: a template ManagedPolicy ({@code !Ref MP}) resolves to its
     * document; AWS managed ARNs (any partition) and, with {@code samNames}, bare AWS managed policy
     * names become {@code AWS_MANAGED} with no document; other ARNs are customer managed without
     * document; unresolvable expressions warn.
     */
    Policy managedRef(Located ref, boolean samNames) {
        Origin origin = ctx.origin(ref.ptr());
        JsonNode n = ref.node();
        if (n.has("Ref") && managed.containsKey(n.get("Ref").asText())) {
            String logical = n.get("Ref").asText();
            attachedManaged.add(logical);
            Policy m = managed.get(logical);
            return new Policy(m.name(), m.kind(), m.arn(), m.document(), origin);
        }
        String text = Intrinsics.text(n);
        if (n.isTextual()) {
            if (!samNames && !text.startsWith("arn:")) {
                ctx.warn("managed policy reference '" + text + "' is not an ARN", ref.ptr());
            }
            return Aws.managedPolicy(text, origin);
        }
        if (Aws.isAwsManagedArn(text)) {
            return Aws.managedPolicy(text, origin);
        }
        // A managed policy referenced by a ${ManagedPolicy} inside Sub/Join
        for (String logical : managed.keySet()) {
            if (text.contains("${" + logical + "}")) {
                attachedManaged.add(logical);
                Policy m = managed.get(logical);
                return new Policy(m.name(), m.kind(), m.arn(), m.document(), origin);
            }
        }
        ctx.warn("managed policy reference " + text + " cannot be resolved statically; its permissions are unknown",
                ref.ptr());
        return new Policy(text, PolicyKind.CUSTOMER_MANAGED, text, null, origin);
    }

    /** Attaches a policy to the roles listed in {@code Roles}; false when none is in this template. */
    private boolean attachToRoles(Located rolesList, Policy policy, String policyLogical, boolean isManaged) {
        boolean[] any = {false};
        if (!rolesList.present()) {
            return false;
        }
        forEachItem(rolesList, item -> {
            RoleDraft r = templateRole(item.node());
            if (r != null) {
                r.policies.add(policy);
                any[0] = true;
                if (isManaged) {
                    attachedManaged.add(policyLogical);
                }
            }
        });
        return any[0];
    }

    /** A role of this template referenced by Ref, GetAtt, RoleName or ${Role} in a Sub; else null. */
    RoleDraft templateRole(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.has("Ref")) {
            return roles.get(n.get("Ref").asText());
        }
        if (n.has("Fn::GetAtt")) {
            JsonNode a = n.get("Fn::GetAtt");
            String logical = a.isArray() && a.size() > 0 ? a.get(0).asText() : a.asText().split("\\.")[0];
            return roles.get(logical);
        }
        String text = Intrinsics.text(n);
        String name = Aws.roleNameFromArn(text);
        for (RoleDraft r : roles.values()) {
            if (r.aliases.contains(text) || r.aliases.contains(name) || r.name.equals(name)) {
                return r;
            }
            if (!n.isTextual() && (text.contains("${" + r.name + "}") || text.contains("${" + r.name + ".Arn}"))) {
                return r;
            }
        }
        return null;
    }

    /** The execution role a function property names: a template role, or an external one. */
    RoleDraft roleFor(Located ref) {
        RoleDraft r = templateRole(ref.node());
        if (r != null) {
            return r;
        }
        String text = ref.text();
        if (!ref.node().isTextual() && !text.startsWith("arn:")) {
            ctx.warn("role " + text + " cannot be resolved statically; its permissions are unknown", ref.ptr());
        }
        return externalRoles.computeIfAbsent(text,
                t -> new RoleDraft(Aws.roleNameFromArn(t), t.startsWith("arn:") ? t : null, ctx.origin(ref.ptr())));
    }

    // ------------------------------------------------------------------ functions

    /** A property of a SAM function, falling back to Globals.Function. */
    private Located samProp(Located props, String name) {
        Located own = props.get(name);
        if (own.present()) {
            return own;
        }
        return new Located(globals == null ? null : globals.get(name), globalsPtr + "/" + name);
    }

    private void samFunction(String logical) {
        Located p = props(logical);
        FunctionDraft f = newFunction(logical, p);
        f.runtime = samProp(p, "Runtime").text();
        packaging(f, samProp(p, "PackageType"), samProp(p, "ImageUri"));
        // Environment: Globals variables, overridden by the function's.
        env(f, new Located(globals == null ? null : globals.path("Environment").get("Variables"),
                globalsPtr + "/Environment/Variables"));
        env(f, p.get("Environment").get("Variables"));
        Located tracing = samProp(p, "Tracing");
        f.tracingMode = tracing.text();
        Located dlq = samProp(p, "DeadLetterQueue");
        if (dlq.present()) {
            f.deadLetterTarget = dlq.get("TargetArn").present() ? dlq.get("TargetArn").text() : dlq.get("Type").text();
        }
        Located eic = samProp(p, "EventInvokeConfig");
        if (eic.present()) {
            Located onFailure = eic.get("DestinationConfig").get("OnFailure");
            if (onFailure.present() && f.deadLetterTarget == null) {
                f.deadLetterTarget = onFailure.get("Destination").present() ? onFailure.get("Destination").text()
                        : onFailure.get("Type").text();
            }
            f.invokedBy(true);
        }
        f.codeSigningConfigArn = samProp(p, "CodeSigningConfigArn").text();
        Located url = samProp(p, "FunctionUrlConfig");
        String alias = samProp(p, "AutoPublishAlias").text();
        if (url.present()) {
            FunctionUrl u = functionUrl(url.get("AuthType"), url.get("Cors"), alias, url.ptr());
            f.urls.add(u);
            if (u.noAuth()) {
                // SAM deploys <Fn>UrlPublicPermissions with the URL: anyone may invoke it through the URL
                f.permissions.add(Aws.permissionStatement(logical + "UrlPublicPermissions",
                        "lambda:InvokeFunctionUrl", "*", "${" + logical + "}", null, null, null, "NONE",
                        ctx.origin(url.ptr())));
            }
        }
        Located events = p.get("Events");
        Map<String, String> pollerPolicies = new LinkedHashMap<>();
        if (events.present() && events.node().isObject()) {
            events.node().properties().forEach(e -> {
                String type = e.getValue().path("Type").asText("");
                if (ASYNC_EVENTS.contains(type)) {
                    f.invokedBy(true);
                } else if (SYNC_EVENTS.contains(type)) {
                    f.invokedBy(false);
                }
                String managedPolicy = POLLER_POLICIES.get(type);
                if (managedPolicy != null) {
                    pollerPolicies.putIfAbsent(managedPolicy, events.ptr() + "/"
                            + dev.posture.document.SourceMap.segment(e.getKey()));
                }
            });
        }
        Located role = samProp(p, "Role");
        Located policies = samProp(p, "Policies");
        if (role.present()) {
            f.role = roleFor(role);
            f.role.used = true;
            if (policies.present()) {
                ctx.warn("Policies of " + logical + " are ignored because it sets Role", policies.ptr());
            }
        } else {
            RoleDraft r = new RoleDraft(logical + "Role", null, ctx.origin(p.ptr()));
            r.policies.add(Aws.managedPolicy("AWSLambdaBasicExecutionRole", ctx.origin(p.ptr() + "/Role")));
            if ("Active".equalsIgnoreCase(f.tracingMode)) {
                r.policies.add(Aws.managedPolicy("AWSXrayWriteOnlyAccess", ctx.origin(tracing.ptr())));
            }
            // SAM adds the poller's managed policy for queue and stream events
            pollerPolicies.forEach((name, at) -> r.policies.add(Aws.managedPolicy(name, ctx.origin(at))));
            Located vpc = samProp(p, "VpcConfig");
            if (vpc.present()) {
                r.policies.add(Aws.managedPolicy("AWSLambdaVPCAccessExecutionRole", ctx.origin(vpc.ptr())));
            }
            if (policies.present()) {
                samPolicies(logical, policies, r);
            }
            Located boundary = samProp(p, "PermissionsBoundary");
            if (boundary.present()) {
                r.permissionsBoundary = asBoundary(managedRef(boundary, false));
            }
            Located trust = samProp(p, "AssumeRolePolicyDocument");
            if (trust.present()) {
                r.trustPolicy = ctx.policy(trust.node(), trust.ptr());
            }
            f.role = r;
        }
    }

    /** SAM Policies: managed names/ARNs, inline documents, policy templates; a string or a list. */
    private void samPolicies(String logical, Located policies, RoleDraft r) {
        int[] inlineIndex = {0};
        forEachItem(policies, item -> {
            JsonNode n = item.node();
            if (n.isTextual() || (Intrinsics.isIntrinsic(n) && !PolicyParser.isIf(n))) {
                r.policies.add(managedRef(item, true));
            } else if (n.isObject() && (n.has("Statement") || n.has("Version"))) {
                PolicyDocument d = ctx.policy(n, item.ptr());
                r.policies.add(new Policy(logical + "RolePolicy" + inlineIndex[0]++, PolicyKind.INLINE, null, d,
                        ctx.origin(item.ptr())));
            } else if (n.isObject() && n.size() == 1) {
                String name = n.fieldNames().next();
                String tp = item.ptr() + "/" + dev.posture.document.SourceMap.segment(name);
                PolicyDocument d = SamPolicyTemplates.expand(name, n.get(name), tp, ctx::origin,
                        (param, at) -> ctx.warn("SAM policy template " + name + " is missing parameter " + param,
                                at));
                if (d == null) {
                    ctx.warn("unknown SAM policy template '" + name + "'; skipped", item.ptr());
                } else {
                    // located at the Policies item that names the template (findings on its statements go there)
                    r.policies.add(new Policy(name, PolicyKind.SAM_TEMPLATE, null, d,
                            Origin.file(ctx.origin(item.ptr()).location(), tp)));
                }
            } else {
                ctx.warn("unrecognised entry in Policies; skipped", item.ptr());
            }
        });
    }

    private void lambdaFunction(String logical) {
        Located p = props(logical);
        FunctionDraft f = newFunction(logical, p);
        f.runtime = p.get("Runtime").text();
        packaging(f, p.get("PackageType"), p.get("Code").get("ImageUri"));
        env(f, p.get("Environment").get("Variables"));
        f.tracingMode = p.get("TracingConfig").get("Mode").text();
        f.deadLetterTarget = p.get("DeadLetterConfig").get("TargetArn").text();
        f.codeSigningConfigArn = p.get("CodeSigningConfigArn").text();
        Located role = p.get("Role");
        if (role.present()) {
            f.role = roleFor(role);
            f.role.used = true;
        } else {
            ctx.warn("function " + logical + " has no Role", p.ptr());
        }
    }

    void env(FunctionDraft f, Located vars) {
        if (!vars.present() || !vars.node().isObject()) {
            return;
        }
        vars.node().properties().forEach(e -> {
            JsonNode v = e.getValue();
            String ptr = vars.ptr() + "/" + dev.posture.document.SourceMap.segment(e.getKey());
            String literal = v.isValueNode() && !v.isNull() ? v.asText() : null;
            f.env(new EnvVar(e.getKey(), literal, ctx.origin(ptr), literal == null ? expressionText(v) : null));
        });
    }

    /** The text of an intrinsic environment value (both branches of an Fn::If), null for other shapes. */
    private static String expressionText(JsonNode v) {
        if (v == null || !Intrinsics.isIntrinsic(v) || v.has("Ref") || v.has("Fn::GetAtt")) {
            return null;
        }
        JsonNode branches = v.get("Fn::If");
        if (branches != null) {
            List<String> texts = new ArrayList<>();
            for (int i = 1; i < branches.size(); i++) {
                JsonNode b = branches.get(i);
                String t = b.isValueNode() && !b.isNull() ? b.asText() : expressionText(b);
                if (t != null) {
                    texts.add(t);
                }
            }
            return texts.isEmpty() ? null : String.join("\n", texts);
        }
        return Intrinsics.text(v);
    }

    FunctionUrl functionUrl(Located authType, Located cors, String qualifier, String ptr) {
        List<String> origins = new ArrayList<>();
        boolean credentials = false;
        if (cors.present()) {
            origins.addAll(PolicyParser.strings(cors.get("AllowOrigins").node()));
            credentials = cors.get("AllowCredentials").present() && cors.get("AllowCredentials").node().asBoolean();
        }
        return new FunctionUrl(authType.present() ? authType.text() : "AWS_IAM", origins, credentials, qualifier,
                ctx.origin(ptr));
    }

    /** The function a FunctionName/TargetFunctionArn value names (template, or a draft for an outside one). */
    FunctionDraft function(Located ref) {
        if (!ref.present()) {
            return null;
        }
        JsonNode n = ref.node();
        String logical = null;
        if (n.has("Ref")) {
            logical = n.get("Ref").asText();
        } else if (n.has("Fn::GetAtt")) {
            JsonNode a = n.get("Fn::GetAtt");
            logical = a.isArray() && a.size() > 0 ? a.get(0).asText() : a.asText().split("\\.")[0];
        }
        if (logical != null) {
            // !Ref Fn.Alias (SAM AutoPublishAlias) names the function too
            String l = logical.contains(".") ? logical.substring(0, logical.indexOf('.')) : logical;
            if (functions.containsKey(l)) {
                return functions.get(l);
            }
            // an AWS::Lambda::Alias or Version of a function in this template
            JsonNode res = resources.get(l);
            String type = res == null ? "" : res.path("Type").asText();
            if ((type.equals("AWS::Lambda::Alias") || type.equals("AWS::Lambda::Version"))
                    && res.path("Properties").has("FunctionName") && !visitingAlias) {
                visitingAlias = true;
                try {
                    return function(props(l).get("FunctionName"));
                } finally {
                    visitingAlias = false;
                }
            }
        }
        String text = Intrinsics.text(n);
        String name = Aws.functionNameFromArn(text);
        for (FunctionDraft f : functions.values()) {
            if (f.aliases.contains(text) || (name != null && (f.aliases.contains(name) || f.name.equals(name)))) {
                return f;
            }
            if (!n.isTextual() && (text.contains("${" + f.name + "}") || text.contains("${" + f.name + ".Arn}"))) {
                return f;
            }
        }
        String key = name != null ? name : text;
        return externalFunctions.computeIfAbsent(key, k -> {
            FunctionDraft d = new FunctionDraft(k, ctx.origin(ref.ptr()));
            d.arn = text.startsWith("arn:") ? text : null;
            d.packageType = null;
            return d;
        });
    }

    private void permission(String logical) {
        Located p = props(logical);
        FunctionDraft f = function(p.get("FunctionName"));
        if (f == null) {
            ctx.warn("Lambda permission " + logical + " has no FunctionName", ptr(logical));
            return;
        }
        String principal = p.get("Principal").text();
        Statement s = Aws.permissionStatement(logical, p.get("Action").text(), principal,
                p.get("FunctionName").text(), p.get("SourceArn").text(), p.get("SourceAccount").text(),
                p.get("PrincipalOrgID").text(), p.get("FunctionUrlAuthType").text(), ctx.origin(ptr(logical)));
        f.permissions.add(s);
        if (Aws.isAsyncService(principal)) {
            f.invokedBy(true);
        } else if (principal != null && Aws.isService(principal)) {
            f.invokedBy(false);
        }
    }

    private void url(String logical) {
        Located p = props(logical);
        FunctionDraft f = function(p.get("TargetFunctionArn"));
        if (f == null) {
            ctx.warn("Lambda URL " + logical + " has no TargetFunctionArn", ptr(logical));
            return;
        }
        f.urls.add(functionUrl(p.get("AuthType"), p.get("Cors"), p.get("Qualifier").text(), ptr(logical)));
    }

    /** Package type as written; an image URI implies Image; Zip otherwise (the Lambda default). */
    private static void packaging(FunctionDraft f, Located packageType, Located imageUri) {
        f.packageType = packageType.present() ? packageType.text() : null;
        if (imageUri.present()) {
            f.imageUri = imageUri.text();
            if (f.packageType == null) {
                f.packageType = "Image";
            }
        }
        if (f.packageType == null) {
            f.packageType = "Zip";
        }
    }

    /** Registers a function draft under its logical id, also known by its literal FunctionName. */
    private FunctionDraft newFunction(String logical, Located props) {
        FunctionDraft f = new FunctionDraft(logical, ctx.origin(ptr(logical)));
        functions.put(logical, f);
        String fnName = props.get("FunctionName").literal();
        if (fnName != null) {
            f.aliases.add(fnName);
        }
        return f;
    }
}
