package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.source.InputKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw IAM policy document: an identity policy (→ {@link ServerlessApp#policies()}), a Lambda
 * function policy, possibly wrapped in the {@code GetPolicy} response {@code {"Policy": "<json>"}}
 * (→ a {@link LambdaFunction} with only its resource policy), a trust policy (→ a {@link Role}
 * holding only its trust policy) or another resource policy (→ a {@code RESOURCE} policy).
 */
public final class IamPolicyLoader extends DocumentLoader {

    @Override
    public InputKind kind() {
        return InputKind.IAM_POLICY;
    }

    @Override
    public boolean recognises(ParsedDocument doc) {
        JsonNode root = doc.root();
        if (root == null || !root.isObject()) {
            return false;
        }
        if (root.has("Statement")) {
            return true;
        }
        JsonNode p = root.get("Policy");
        if (p != null && p.isTextual()) {
            // a GetPolicy response; a broken embedded document is still this kind of input, and the
            // loader then says what is wrong with it rather than the file going unrecognised
            JsonNode inner = LoadContext.tryParseJson(p.asText());
            return inner != null ? inner.has("Statement") : p.asText().contains("\"Statement\"");
        }
        return p != null && p.isObject() && p.has("Statement")
                || root.has("Effect") && ServerlessLoaders.hasAnyField(root, "Action", "NotAction");
    }

    @Override
    public ServerlessApp load(ParsedDocument doc) {
        List<InputWarning> warnings = new ArrayList<>();
        LoadContext ctx = new LoadContext(doc, warnings);
        JsonNode root = doc.root();
        List<LambdaFunction> functions = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        String name = Aws.baseName(doc.file()) + (doc.index() > 0 ? "#" + doc.index() : "");

        PolicyDocument document = null;
        if (root != null && root.isObject() && root.has("Statement")) {
            document = ctx.policy(root, "");
        } else if (root != null && root.isObject() && root.has("Policy")
                && (root.get("Policy").isTextual() || root.get("Policy").isObject())) {
            document = ctx.policy(root.get("Policy"), "/Policy");
        } else if (root != null && root.isObject() && root.has("Effect")) {
            document = ctx.statements(root, "");
        } else {
            ctx.warn("document is not an IAM policy (no Statement)", "");
        }
        if (document == null) {
            return new ServerlessApp(functions, roles, policies, warnings);
        }

        switch (classify(document)) {
            case FUNCTION -> {
                FunctionDraft f = new FunctionDraft(functionName(document, name), document.origin());
                f.arn = Aws.unqualifiedFunctionArn(firstFunctionArn(document));
                f.resourcePolicy = document;
                LambdaFunction built = f.build();
                functions.add(built);
            }
            case TRUST -> roles.add(new Role(name, null, List.of(), null, document, document.origin()));
            case RESOURCE -> policies.add(new Policy(name, PolicyKind.RESOURCE, null, document, document.origin()));
            default -> policies.add(new Policy(name, PolicyKind.CUSTOMER_MANAGED, null, document, document.origin()));
        }
        return new ServerlessApp(functions, roles, policies, warnings);
    }

    enum Shape { IDENTITY, FUNCTION, TRUST, RESOURCE }

    /** Decides what a standalone policy is from its statements. */
    static Shape classify(PolicyDocument doc) {
        boolean anyPrincipal = false;
        boolean allLambda = true;
        boolean allAssume = true;
        for (Statement s : doc.statements()) {
            if (s.principal() != null) {
                anyPrincipal = true;
            }
            for (String a : s.actions()) {
                String l = a.toLowerCase(Locale.ROOT);
                if (!l.startsWith("lambda:")) {
                    allLambda = false;
                }
                if (!l.startsWith("sts:assumerole") && !l.equals("sts:tagsession") && !l.equals("sts:setsourceidentity")
                        && !l.equals("sts:setcontext")) {
                    allAssume = false;
                }
            }
        }
        if (!anyPrincipal || doc.statements().isEmpty()) {
            return Shape.IDENTITY;
        }
        if (allAssume) {
            return Shape.TRUST;
        }
        if (allLambda) {
            return Shape.FUNCTION;
        }
        return Shape.RESOURCE;
    }

    private static String firstFunctionArn(PolicyDocument doc) {
        for (Statement s : doc.statements()) {
            for (String r : s.resources()) {
                if (Aws.functionNameFromArn(r) != null) {
                    return r;
                }
            }
        }
        return null;
    }

    private static String functionName(PolicyDocument doc, String fallback) {
        String n = Aws.functionNameFromArn(firstFunctionArn(doc));
        return n != null ? n : fallback;
    }
}
