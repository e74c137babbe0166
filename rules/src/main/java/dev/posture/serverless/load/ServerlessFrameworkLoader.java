package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.posture.document.ParsedDocument;
import dev.posture.document.SourceMap;
import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.serverless.load.CfnTemplate.Located;
import dev.posture.source.InputKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Serverless Framework {@code serverless.yml}: the provider-level role (statements, managed
 * policies, permissions boundary) shared by every function without its own role, per-function
 * roles ({@code iam.role.statements} and the serverless-iam-roles-per-function plugin's
 * {@code iamRoleStatements}), environment, runtime, tracing, URLs, destinations and events.
 * {@code ${self:…}}, {@code ${env:…}}, {@code ${ssm:…}} variables stay symbolic. The
 * {@code resources.Resources} block is read as CloudFormation and linked.
 */
public final class ServerlessFrameworkLoader extends DocumentLoader {
    static final Set<String> ASYNC_EVENTS = Set.of("s3", "sns", "schedule", "eventbridge", "cloudwatchevent",
            "cloudwatchlog", "iot", "cognitouserpool", "alexaskill", "alexasmarthome", "iotfleetprovisioning");
    static final Set<String> SYNC_EVENTS = Set.of("http", "httpapi", "sqs", "stream", "alb", "websocket", "msk",
            "kafka", "activemq", "rabbitmq");
    /** The CloudFormation logical id the framework gives the shared role. */
    static final String SHARED_ROLE = "IamRoleLambdaExecution";

    @Override
    public InputKind kind() {
        return InputKind.SERVERLESS_FRAMEWORK;
    }

    @Override
    public boolean recognises(ParsedDocument doc) {
        JsonNode r = doc.root();
        if (r == null || !r.isObject() || !r.has("service") || !r.has("provider")) {
            return false;
        }
        JsonNode p = r.get("provider");
        String name = p.isObject() ? p.path("name").asText("") : p.asText("");
        // provider: {name: aws} or the old "provider: aws"; another cloud's provider is not ours
        return name.equals("aws") || name.isEmpty() && r.has("functions");
    }

    @Override
    public ServerlessApp load(ParsedDocument doc) {
        List<InputWarning> warnings = new ArrayList<>();
        LoadContext ctx = new LoadContext(doc, warnings);
        JsonNode root = doc.root();
        Located provider = new Located(root.get("provider"), "/provider");
        if (provider.present() && provider.node().has("name") && !"aws".equals(provider.get("name").text())) {
            ctx.warn("provider is '" + provider.get("name").text() + "', not aws; not analysed", "/provider/name");
            return new ServerlessApp(List.of(), List.of(), List.of(), warnings);
        }
        JsonNode resources = root.path("resources").get("Resources");
        if (resources != null && !resources.isNull() && !resources.isObject()) {
            ctx.warn("resources.Resources is " + LoadContext.kind(resources) + ", not a mapping; ignored",
                    "/resources/Resources");
        } else if (resources != null && resources.isObject()) {
            CloudFormationLoader.warnMalformedResources(ctx, resources, "/resources/Resources");
        }
        CfnTemplate cfn = new CfnTemplate(ctx, resources != null && resources.isObject() ? resources
                : JsonNodeFactory.instance.objectNode(), "/resources/Resources", null, "");

        // Provider-level IAM.
        Located iamRole = provider.get("iam").get("role");
        List<Policy> providerPolicies = new ArrayList<>();
        Located statements = iamRole.get("statements");
        if (statements.present()) {
            providerPolicies.add(statementsPolicy(ctx, "provider.iam.role.statements", statements));
        }
        Located legacy = provider.get("iamRoleStatements");
        if (legacy.present()) {
            providerPolicies.add(statementsPolicy(ctx, "provider.iamRoleStatements", legacy));
        }
        List<Located> managedRefs = new ArrayList<>();
        collect(cfn, iamRole.get("managedPolicies"), managedRefs);
        collect(cfn, provider.get("iamManagedPolicies"), managedRefs);
        Located boundary = iamRole.get("permissionsBoundary");
        if (!boundary.present()) {
            boundary = provider.get("rolePermissionsBoundary");
        }
        Located providerRoleRef = iamRole.present() && !iamRole.node().isObject() ? iamRole : provider.get("role");

        RoleDraft shared = null;
        if (!providerRoleRef.present()) {
            shared = new RoleDraft(SHARED_ROLE, null, ctx.origin(iamRole.present() ? iamRole.ptr() : "/provider"));
            shared.policies.addAll(providerPolicies);
            for (Located m : managedRefs) {
                shared.policies.add(cfn.managedRef(m, false));
            }
            if (boundary.present()) {
                shared.permissionsBoundary = CfnTemplate.asBoundary(cfn.managedRef(boundary, false));
            }
            if (provider.get("vpc").present()) {
                // the framework attaches the VPC execution policy when functions run in a VPC
                shared.policies.add(Aws.managedPolicy("AWSLambdaVPCAccessExecutionRole",
                        ctx.origin(provider.get("vpc").ptr())));
            }
            cfn.roles.put(SHARED_ROLE, shared);
        } else if (!providerPolicies.isEmpty()) {
            ctx.warn("provider IAM statements are ignored because provider role is set", providerRoleRef.ptr());
        }
        cfn.processIam();

        String providerRuntime = provider.get("runtime").text();
        String providerTracing = tracing(provider.get("tracing").get("lambda"));
        Located providerEnv = provider.get("environment");

        Located functions = new Located(root.get("functions"), "/functions");
        if (functions.present() && !functions.node().isNull() && !functions.node().isObject()) {
            ctx.warn("functions is " + LoadContext.kind(functions.node()) + ", not a mapping of name to function;"
                    + " no functions analysed", "/functions");
        }
        if (functions.present() && functions.node().isObject()) {
            for (var e : functions.node().properties()) {
                String name = e.getKey();
                Located fn = new Located(e.getValue(), "/functions/" + SourceMap.segment(name));
                if (!fn.present() || !fn.node().isObject()) {
                    ctx.warn("function " + name + " is not a mapping", fn.ptr());
                    continue;
                }
                FunctionDraft f = new FunctionDraft(name, ctx.origin(fn.ptr()));
                String logical = logicalId(name) + "LambdaFunction";
                String fnName = fn.get("name").text();
                if (fnName != null) {
                    f.aliases.add(fnName);
                }
                f.aliases.add(logical);
                f.runtime = fn.get("runtime").present() ? fn.get("runtime").text() : providerRuntime;
                Located image = fn.get("image");
                if (image.present()) {
                    f.packageType = "Image";
                    f.imageUri = image.node().isObject()
                            ? (image.get("uri").present() ? image.get("uri").text() : image.get("name").text())
                            : image.text();
                } else {
                    f.packageType = "Zip";
                }
                env(ctx, f, providerEnv);
                env(ctx, f, fn.get("environment"));
                String t = tracing(fn.get("tracing"));
                f.tracingMode = t != null ? t : providerTracing;
                Located onFailure = fn.get("destinations").get("onFailure");
                if (onFailure.present()) {
                    f.deadLetterTarget = onFailure.node().isObject()
                            ? (onFailure.get("arn").present() ? onFailure.get("arn").text() : onFailure.text())
                            : onFailure.text();
                } else if (fn.get("onError").present()) {
                    f.deadLetterTarget = fn.get("onError").text();
                }
                if (fn.get("destinations").present()) {
                    f.invokedBy(true);
                }
                Located url = fn.get("url");
                if (url.present() && !(url.node().isBoolean() && !url.node().asBoolean())) {
                    FunctionUrl u = url(ctx, url);
                    f.urls.add(u);
                    if (u.noAuth()) {
                        // the framework deploys a public InvokeFunctionUrl permission with an open URL
                        f.permissions.add(Aws.permissionStatement(logical.replace("LambdaFunction", "")
                                        + "LambdaPermissionFnUrl", "lambda:InvokeFunctionUrl", "*", logical, null,
                                null, null, "NONE", ctx.origin(url.ptr())));
                    }
                }
                events(f, fn.get("events"));
                f.role = functionRole(ctx, cfn, name, fn, shared, providerRoleRef, providerPolicies, managedRefs);
                if (f.role != null) {
                    f.role.used = true;
                }
                cfn.functions.put(logical, f);
            }
        }
        cfn.processFunctions();
        return cfn.build();
    }

    private static void collect(CfnTemplate cfn, Located list, List<Located> out) {
        if (list.present()) {
            cfn.forEachItem(list, out::add);
        }
    }

    private static Policy statementsPolicy(LoadContext ctx, String name, Located statements) {
        PolicyDocument d = ctx.statements(statements.node(), statements.ptr());
        return new Policy(name, PolicyKind.INLINE, null, d, ctx.origin(statements.ptr()));
    }

    private static RoleDraft functionRole(LoadContext ctx, CfnTemplate cfn, String name, Located fn, RoleDraft shared,
                                          Located providerRoleRef, List<Policy> providerPolicies,
                                          List<Located> providerManaged) {
        Located role = fn.get("role");
        if (role.present()) {
            return cfn.roleFor(role);
        }
        Located own = fn.get("iam").get("role").get("statements");
        Located plugin = fn.get("iamRoleStatements");
        Located ownManaged = fn.get("iam").get("role").get("managedPolicies");
        if (own.present() || plugin.present() || ownManaged.present()) {
            RoleDraft r = new RoleDraft(logicalId(name) + SHARED_ROLE, null, ctx.origin(fn.ptr()));
            if (own.present()) {
                r.policies.add(statementsPolicy(ctx, "functions." + name + ".iam.role.statements", own));
            }
            if (plugin.present()) {
                r.policies.add(statementsPolicy(ctx, "functions." + name + ".iamRoleStatements", plugin));
            }
            if (ownManaged.present()) {
                cfn.forEachItem(ownManaged, m -> r.policies.add(cfn.managedRef(m, false)));
            }
            JsonNode inherit = fn.node().get("iamRoleStatementsInherit");
            if (inherit != null && inherit.asBoolean(false)) {
                r.policies.addAll(providerPolicies);
                for (Located m : providerManaged) {
                    r.policies.add(cfn.managedRef(m, false));
                }
            }
            Located vpc = fn.get("vpc").present() ? fn.get("vpc") : null;
            if (vpc != null) {
                r.policies.add(Aws.managedPolicy("AWSLambdaVPCAccessExecutionRole", ctx.origin(vpc.ptr())));
            }
            cfn.roles.put(r.name, r);
            return r;
        }
        if (shared != null) {
            return shared;
        }
        return cfn.roleFor(providerRoleRef);
    }

    /** The framework's normalised name: first letter upper case, '-' → Dash, '_' → Underscore. */
    static String logicalId(String name) {
        String n = name.replace("-", "Dash").replace("_", "Underscore");
        return n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static String tracing(Located t) {
        if (!t.present()) {
            return null;
        }
        JsonNode n = t.node();
        if (n.isBoolean()) {
            return n.asBoolean() ? "Active" : null;
        }
        String s = n.asText();
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "active" -> "Active";
            case "passthrough" -> "PassThrough";
            case "false", "" -> null;
            default -> s;
        };
    }

    private static void env(LoadContext ctx, FunctionDraft f, Located vars) {
        if (!vars.present() || !vars.node().isObject()) {
            return;
        }
        vars.node().properties().forEach(e -> {
            JsonNode v = e.getValue();
            String ptr = vars.ptr() + "/" + SourceMap.segment(e.getKey());
            String literal = v.isValueNode() && !v.isNull() && !v.asText().contains("${") ? v.asText() : null;
            String expression = literal == null && v.isTextual() ? v.asText() : null;
            f.env(new EnvVar(e.getKey(), literal, ctx.origin(ptr), expression));
        });
    }

    private static FunctionUrl url(LoadContext ctx, Located url) {
        String auth = "NONE";
        List<String> origins = new ArrayList<>();
        boolean credentials = false;
        if (url.node().isObject()) {
            if ("aws_iam".equalsIgnoreCase(url.get("authorizer").text())) {
                auth = "AWS_IAM";
            }
            Located cors = url.get("cors");
            if (cors.present()) {
                if (cors.node().isBoolean()) {
                    if (cors.node().asBoolean()) {
                        origins.add("*");
                    }
                } else if (cors.node().isObject()) {
                    Located allowed = cors.get("allowedOrigins");
                    if (allowed.present()) {
                        origins.addAll(dev.posture.iam.parse.PolicyParser.strings(allowed.node()));
                    } else {
                        origins.add("*"); // the framework's default
                    }
                    credentials = cors.get("allowCredentials").present()
                            && cors.get("allowCredentials").node().asBoolean();
                }
            }
        }
        return new FunctionUrl(auth, origins, credentials, null, ctx.origin(url.ptr()));
    }

    private static void events(FunctionDraft f, Located events) {
        if (!events.present() || !events.node().isArray()) {
            return;
        }
        for (JsonNode e : events.node()) {
            String type = e.isObject() && e.size() > 0 ? e.fieldNames().next() : e.asText();
            String t = type.toLowerCase(Locale.ROOT);
            if (ASYNC_EVENTS.contains(t)) {
                f.invokedBy(true);
            } else if (SYNC_EVENTS.contains(t)) {
                f.invokedBy(false);
            }
        }
    }
}
