package dev.posture.iam.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.DuplicateKey;
import dev.posture.document.SourceMap;
import dev.posture.iam.model.Condition;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.Principal;
import dev.posture.iam.model.Statement;
import dev.posture.model.Location;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a policy document tree (from a file, a template or a live API) into the normalised model.
 *
 * <p>Tolerant where IAM is: a single statement object instead of a list, strings instead of
 * lists, any case in action names. Strict where it matters: a statement without a valid Effect,
 * or a policy with an unknown Version, is skipped with a warning naming the place — it is never
 * silently dropped or guessed. Non-string values (unresolved CloudFormation intrinsics such as
 * {@code {"Fn::GetAtt": ["Table", "Arn"]}}) become symbolic strings via {@link Intrinsics}.
 */
public final class PolicyParser {

    /** The two policy language versions IAM accepts. */
    public static final List<String> VERSIONS = List.of("2012-10-17", "2008-10-17");

    /**
     * Statements analysed per policy document. AWS caps a policy at 6–20 KB (a few hundred
     * statements at most); the effective-permission analysis compares every Allow with every Deny,
     * so a hostile document with 100,000 statements would otherwise run for minutes and exhaust memory.
     */
    public static final int MAX_STATEMENTS = 1_000;

    /** The result: the document (possibly with fewer statements than written) and what was skipped. */
    public record Result(PolicyDocument document, List<InputWarning> warnings) {
    }

    private final SourceMap sourceMap;
    private final String arn;
    private final java.util.function.UnaryOperator<String> locate;
    private final Duplicates duplicates;

    /**
     * Where to find keys written twice in a mapping of the policy (the tree holds the last value).
     * Policies are read broadly on duplicates: an Allow beside a Deny is an Allow, never the
     * narrower reading a last-value parser would give.
     */
    public interface Duplicates {
        Duplicates NONE = pointer -> List.of();

        /** The duplicate keys of the mapping at the policy's logical {@code pointer}. */
        List<DuplicateKey> at(String pointer);

        /** Where in the text they are ("" in the document; " of the policy string" inside a string). */
        default String where() {
            return "";
        }

        /** The duplicates of a parsed document, through the logical → physical pointer mapping. */
        static Duplicates of(SourceMap map, java.util.function.UnaryOperator<String> locate) {
            return map == null || map.duplicates().isEmpty() ? NONE : pointer -> map.duplicatesAt(locate.apply(pointer));
        }

        /** The duplicates of a policy held in a JSON string at {@code pointer} of the document. */
        static Duplicates inString(SourceMap inner, String pointer) {
            if (inner.duplicates().isEmpty()) {
                return NONE;
            }
            return new Duplicates() {
                @Override
                public List<DuplicateKey> at(String p) {
                    return p.startsWith(pointer) ? inner.duplicatesAt(p.substring(pointer.length())) : List.of();
                }

                @Override
                public String where() {
                    return " of the policy string";
                }
            };
        }
    }

    /**
     * @param sourceMap where values came from for file inputs, or null for live inputs
     * @param arn       the ARN of the policy for live inputs, or null
     */
    public PolicyParser(SourceMap sourceMap, String arn) {
        this(sourceMap, arn, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param locate maps the logical pointer an origin carries to the pointer in the source map
     *               whose position is the location (for inputs whose logical names are not array
     *               positions, e.g. Terraform resource addresses)
     */
    public PolicyParser(SourceMap sourceMap, String arn, java.util.function.UnaryOperator<String> locate) {
        this(sourceMap, arn, locate, Duplicates.of(sourceMap, locate));
    }

    public PolicyParser(SourceMap sourceMap, String arn, java.util.function.UnaryOperator<String> locate,
                        Duplicates duplicates) {
        this.sourceMap = sourceMap;
        this.arn = arn;
        this.locate = locate;
        this.duplicates = duplicates;
    }

    /** Parses the policy at {@code pointer} of a document (the node must be the policy object). */
    public Result parse(JsonNode policy, String pointer) {
        List<InputWarning> warnings = new ArrayList<>();
        Origin origin = origin(pointer);
        if (policy == null || !policy.isObject()) {
            warnings.add(new InputWarning("policy document is not a JSON object", origin));
            return new Result(new PolicyDocument(null, List.of(), origin), warnings);
        }
        List<DuplicateKey> dups = duplicates.at(pointer);
        List<JsonNode> earlierStatements = new ArrayList<>();
        for (DuplicateKey d : dups) {
            claim(d);
            if (d.key().equals("Statement")) {
                earlierStatements.add(d.earlier());
                warnings.add(new InputWarning("key 'Statement' is written twice (" + d.lines() + duplicates.where() + "); the statements of both are read", origin(pointer)));
            } else {
                warnings.add(new InputWarning("key '" + abbreviate(d.key()) + "' is written twice ("
                        + d.lines() + duplicates.where() + "); the last value is read",
                        origin(pointer + "/" + SourceMap.segment(d.key()))));
            }
        }
        String version = null;
        JsonNode v = policy.get("Version");
        if (v != null && !v.isNull()) {
            version = v.isTextual() ? v.asText() : v.toString();
            if (!VERSIONS.contains(version)) {
                warnings.add(new InputWarning("unknown policy Version '" + version
                        + "' (expected 2012-10-17 or 2008-10-17); policy skipped", origin(pointer + "/Version")));
                return new Result(new PolicyDocument(version, List.of(), origin), warnings);
            }
        }
        JsonNode st = policy.get("Statement");
        List<Statement> statements = new ArrayList<>();
        if (st == null || st.isNull()) {
            warnings.add(new InputWarning("policy has no Statement", origin));
        } else {
            statements(st, pointer + "/Statement", statements, warnings);
        }
        for (int i = 0; i < earlierStatements.size(); i++) {
            // their own lines are gone with the later value: they point at the policy
            int before = statements.size();
            List<Statement> more = new ArrayList<>();
            statements(earlierStatements.get(i), pointer + "/Statement~" + (i + 1), more, warnings);
            for (Statement s : more) {
                statements.add(s.withIndex(before + s.index()));
            }
        }
        return new Result(new PolicyDocument(version, capped(statements, origin, warnings), origin), warnings);
    }

    /**
     * Parses a bare statement list (or a single statement object) at {@code pointer}, as written in
     * formats that hold statements outside a policy document (serverless.yml
     * {@code iamRoleStatements}). Statement {@code i} of a list is at {@code pointer/i}.
     */
    public Result parseStatements(String version, JsonNode statementsNode, String pointer) {
        List<InputWarning> warnings = new ArrayList<>();
        List<Statement> statements = new ArrayList<>();
        if (statementsNode != null && !statementsNode.isNull()) {
            statements(statementsNode, pointer, statements, warnings);
        }
        Origin origin = origin(pointer);
        return new Result(new PolicyDocument(version, capped(statements, origin, warnings), origin), warnings);
    }

    /**
     * Statements of a Statement value: a list, a single object, or a CloudFormation {@code Fn::If}
     * (at list or element level) whose branches are both possible ({@code AWS::NoValue} dropped).
     */
    private void statements(JsonNode st, String ptr, List<Statement> out, List<InputWarning> warnings) {
        if (isIf(st)) {
            ifBranches(st, ptr, (branch, bptr) -> statements(branch, bptr, out, warnings));
        } else if (st.isArray()) {
            for (int i = 0; i < st.size(); i++) {
                JsonNode el = st.get(i);
                String elPtr = ptr + "/" + i;
                int index = i;
                if (isIf(el)) {
                    ifBranches(el, elPtr, (branch, bptr) -> {
                        if (branch.isArray()) {
                            statements(branch, bptr, out, warnings);
                        } else {
                            Statement s = statement(branch, index, bptr, warnings);
                            if (s != null) {
                                out.add(s);
                            }
                        }
                    });
                    continue;
                }
                Statement s = statement(el, i, elPtr, warnings);
                if (s != null) {
                    out.add(s);
                }
            }
        } else {
            Statement s = statement(st, 0, ptr, warnings);
            if (s != null) {
                out.add(s);
            }
        }
    }

    private static List<Statement> capped(List<Statement> statements, Origin origin, List<InputWarning> warnings) {
        if (statements.size() <= MAX_STATEMENTS) {
            return statements;
        }
        warnings.add(new InputWarning("policy has " + statements.size() + " statements; only the first "
                + MAX_STATEMENTS + " are analysed (AWS accepts a few hundred at most)", origin));
        return new ArrayList<>(statements.subList(0, MAX_STATEMENTS));
    }

    /** True for {@code {"Fn::If": [cond, a, b]}}. */
    public static boolean isIf(JsonNode node) {
        return Intrinsics.isIntrinsic(node) && "Fn::If".equals(Intrinsics.describe(node))
                && node.get("Fn::If").isArray() && node.get("Fn::If").size() == 3;
    }

    /** True for {@code {"Ref": "AWS::NoValue"}}. */
    public static boolean isNoValue(JsonNode node) {
        return node != null && node.isObject() && node.size() == 1 && node.has("Ref")
                && "AWS::NoValue".equals(node.get("Ref").asText());
    }

    /** Calls {@code visitor} for each branch of an {@code Fn::If} that is not {@code AWS::NoValue}. */
    public static void ifBranches(JsonNode ifNode, String ptr,
                                  java.util.function.BiConsumer<JsonNode, String> visitor) {
        JsonNode args = ifNode.get("Fn::If");
        for (int b = 1; b <= 2; b++) {
            JsonNode branch = args.get(b);
            if (branch == null || branch.isNull() || isNoValue(branch)) {
                continue;
            }
            visitor.accept(branch, ptr + "/Fn::If/" + b);
        }
    }

    private Statement statement(JsonNode node, int index, String ptr, List<InputWarning> warnings) {
        Origin origin = origin(ptr);
        String label = "statement " + (index + 1);
        if (node == null || !node.isObject()) {
            warnings.add(new InputWarning(label + " is not an object; skipped", origin));
            return null;
        }
        if (Intrinsics.isIntrinsic(node)) {
            warnings.add(new InputWarning(label + " is a CloudFormation expression (" + Intrinsics.describe(node)
                    + ") that cannot be resolved statically; skipped", origin));
            return null;
        }
        node = broadest(node, ptr, label, warnings);
        JsonNode effectNode = node.get("Effect");
        Effect effect;
        if (effectNode == null || !effectNode.isTextual()) {
            warnings.add(new InputWarning(label + " has no Effect; skipped", origin));
            return null;
        }
        switch (effectNode.asText()) {
            case "Allow" -> effect = Effect.ALLOW;
            case "Deny" -> effect = Effect.DENY;
            default -> {
                warnings.add(new InputWarning(label + " has invalid Effect '" + effectNode.asText()
                        + "' (expected Allow or Deny); skipped", origin(ptr + "/Effect")));
                return null;
            }
        }
        boolean notAction = false;
        JsonNode actionNode = node.get("Action");
        if (actionNode == null) {
            actionNode = node.get("NotAction");
            notAction = actionNode != null;
        }
        List<String> actions = strings(actionNode).stream().map(PolicyParser::collapseStars).toList();
        if (hasUnresolvable(actionNode)) {
            warnings.add(new InputWarning(label + ": an action is a CloudFormation expression that cannot be "
                    + "resolved statically; kept symbolic", origin(ptr + (notAction ? "/NotAction" : "/Action"))));
        }
        if (actions.isEmpty() && !notAction) {
            warnings.add(new InputWarning(label + " has no Action or NotAction; skipped", origin));
            return null;
        }
        boolean notResource = false;
        JsonNode resNode = node.get("Resource");
        if (resNode == null) {
            resNode = node.get("NotResource");
            notResource = resNode != null;
        }
        List<String> resources = strings(resNode);
        boolean notPrincipal = false;
        JsonNode pNode = node.get("Principal");
        if (pNode == null) {
            pNode = node.get("NotPrincipal");
            notPrincipal = pNode != null;
        }
        Principal principal = principal(pNode);
        JsonNode condNode = node.get("Condition");
        List<Condition> conditions = conditions(condNode);
        if (condNode != null && !condNode.isNull()) {
            // IAM rejects such a policy; say which part was not read instead of dropping it silently
            if (!condNode.isObject()) {
                warnings.add(new InputWarning(label + ": Condition is " + kind(condNode)
                        + ", not a mapping of operators; ignored", origin(ptr + "/Condition")));
            } else {
                condNode.properties().forEach(op -> {
                    if (!op.getValue().isObject()) {
                        warnings.add(new InputWarning(label + ": condition operator " + op.getKey() + " has "
                                + kind(op.getValue()) + " instead of a mapping of keys to values; ignored",
                                origin(ptr + "/Condition/" + SourceMap.segment(op.getKey()))));
                    }
                });
            }
        }
        JsonNode sid = node.get("Sid");
        return new Statement(index, sid != null && sid.isTextual() ? sid.asText() : null, effect, actions, notAction,
                resources, notResource, principal, notPrincipal, conditions, origin);
    }

    private static final java.util.Set<String> GRANTING = java.util.Set.of("Action", "Resource", "Principal");
    private static final java.util.Set<String> EXCLUDING = java.util.Set.of("NotAction", "NotResource", "NotPrincipal");

    /**
     * The statement as its broadest reading when keys were written twice in it: Allow if any Effect
     * is Allow; for an Allow the union of Action/Resource/Principal values, the intersection of
     * NotAction/NotResource/NotPrincipal values and no Condition; for a Deny the reverse (it denies
     * the least). Parsers disagree on which duplicate wins, so the reading that grants the most is
     * the one a reviewer must see.
     */
    private JsonNode broadest(JsonNode node, String ptr, String label, List<InputWarning> warnings) {
        List<DuplicateKey> dups = new ArrayList<>(duplicates.at(ptr));
        dups.addAll(duplicates.at(ptr + "/Condition"));
        if (dups.isEmpty()) {
            return node;
        }
        Map<String, List<JsonNode>> values = new LinkedHashMap<>();
        for (DuplicateKey d : duplicates.at(ptr)) {
            claim(d);
            values.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d.earlier());
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = ((com.fasterxml.jackson.databind.node.ObjectNode) node).deepCopy();
        List<JsonNode> effects = values.get("Effect");
        boolean allow;
        if (effects != null) {
            effects.add(node.get("Effect"));
            allow = effects.stream().anyMatch(e -> e != null && "Allow".equals(e.asText()));
            out.put("Effect", allow ? "Allow" : "Deny");
        } else {
            allow = !"Deny".equals(node.path("Effect").asText());
        }
        boolean conditionDropped = false;
        for (Map.Entry<String, List<JsonNode>> e : values.entrySet()) {
            String key = e.getKey();
            List<JsonNode> all = new ArrayList<>(e.getValue());
            all.add(node.get(key));
            if (GRANTING.contains(key) || EXCLUDING.contains(key)) {
                boolean union = GRANTING.contains(key) == allow;
                JsonNode merged = key.endsWith("Principal") ? mergePrincipals(all, union) : mergeLists(all, union);
                out.set(key, merged);
            } else if (key.equals("Condition") && allow) {
                out.remove("Condition");
                conditionDropped = true;
            }
        }
        if (allow && !duplicates.at(ptr + "/Condition").isEmpty()) {
            out.remove("Condition");
            conditionDropped = true;
        }
        List<DuplicateKey> inCondition = duplicates.at(ptr + "/Condition");
        for (DuplicateKey d : dups) {
            claim(d);
            boolean cond = inCondition.contains(d);
            String how = cond || d.key().equals("Condition")
                    ? (conditionDropped ? "read without its Condition, the broadest reading" : "the last value is read")
                    : switch (d.key()) {
                        case "Effect" -> "read as " + (allow ? "Allow" : "Deny") + ", the broadest reading";
                        case "Action", "Resource", "Principal", "NotAction", "NotResource", "NotPrincipal" ->
                                "read as " + ((GRANTING.contains(d.key()) == allow) ? "the union" : "the intersection")
                                        + " of the values, the broadest reading";
                        default -> "the last value is read";
                    };
            warnings.add(new InputWarning(label + ": key '" + abbreviate(d.key()) + "'" + (cond ? " in Condition" : "")
                    + " is written twice (" + d.lines() + duplicates.where() + "); "
                    + how, origin(ptr + (cond ? "/Condition" : "") + "/" + SourceMap.segment(d.key()))));
        }
        return out;
    }

    private void claim(DuplicateKey d) {
        d.map().claim(d);
    }

    private static JsonNode mergeLists(List<JsonNode> values, boolean union) {
        java.util.LinkedHashSet<String> acc = null;
        for (JsonNode v : values) {
            java.util.LinkedHashSet<String> these = new java.util.LinkedHashSet<>(strings(v));
            if (acc == null) {
                acc = these;
            } else if (union) {
                acc.addAll(these);
            } else {
                acc.retainAll(these);
            }
        }
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        if (acc != null) {
            acc.forEach(a::add);
        }
        return a;
    }

    private static JsonNode mergePrincipals(List<JsonNode> values, boolean union) {
        Map<String, java.util.LinkedHashSet<String>> acc = null;
        for (JsonNode v : values) {
            Principal p = principal(v);
            Map<String, java.util.LinkedHashSet<String>> these = new LinkedHashMap<>();
            if (p != null) {
                p.byType().forEach((k, l) -> these.put(k, new java.util.LinkedHashSet<>(l)));
            }
            if (acc == null) {
                acc = these;
            } else if (union) {
                for (Map.Entry<String, java.util.LinkedHashSet<String>> e : these.entrySet()) {
                    acc.computeIfAbsent(e.getKey(), k -> new java.util.LinkedHashSet<>()).addAll(e.getValue());
                }
            } else {
                Map<String, java.util.LinkedHashSet<String>> prev = acc;
                acc = new LinkedHashMap<>();
                for (Map.Entry<String, java.util.LinkedHashSet<String>> e : prev.entrySet()) {
                    if (these.containsKey(e.getKey())) {
                        e.getValue().retainAll(these.get(e.getKey()));
                        acc.put(e.getKey(), e.getValue());
                    }
                }
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (acc != null) {
            acc.forEach((k, l) -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray(k);
                l.forEach(a::add);
            });
        }
        return o;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** True when a value (or a list element) is an intrinsic other than Fn::If / AWS::NoValue. */
    private static boolean hasUnresolvable(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (hasUnresolvable(n)) {
                    return true;
                }
            }
            return false;
        }
        if (isIf(node)) {
            boolean[] any = {false};
            ifBranches(node, "", (b, p) -> any[0] |= hasUnresolvable(b));
            return any[0];
        }
        return Intrinsics.isIntrinsic(node) && !isNoValue(node);
    }

    static Principal principal(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (isIf(node)) {
            // both branches are possible: the union of their principals
            Map<String, List<String>> merged = new LinkedHashMap<>();
            ifBranches(node, "", (b, p) -> {
                Principal bp = principal(b);
                if (bp != null) {
                    bp.byType().forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                }
            });
            return merged.isEmpty() ? null : new Principal(merged);
        }
        if (node.isTextual()) {
            // "*" is the only legal bare string; anything else is treated as an AWS principal.
            return new Principal(Map.of("AWS", List.of(node.asText())));
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                byType.put(e.getKey(), strings(e.getValue()));
            }
        } else {
            byType.put("AWS", strings(node));
        }
        return new Principal(byType);
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "a mapping";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static List<Condition> conditions(JsonNode node) {
        List<Condition> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> ops = node.properties().iterator();
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().properties().iterator();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> k = keys.next();
                out.add(new Condition(op.getKey(), k.getKey(), strings(k.getValue())));
            }
        }
        return out;
    }

    /** A string or list of strings; intrinsics become symbolic strings; numbers and booleans their text. */
    public static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (isIf(n)) {
                    out.addAll(strings(n));
                } else if (!n.isNull() && !isNoValue(n)) {
                    out.add(Intrinsics.text(n));
                }
            }
        } else if (isIf(node)) {
            // both branches are possible
            ifBranches(node, "", (branch, p) -> out.addAll(strings(branch)));
        } else if (!isNoValue(node)) {
            out.add(Intrinsics.text(node));
        }
        return out;
    }

    private Origin origin(String pointer) {
        if (sourceMap == null) {
            return Origin.live(arn, pointer);
        }
        Location l = sourceMap.at(locate.apply(pointer));
        return new Origin(l, arn, pointer);
    }

    /**
     * "s3:**Get***" → "s3:*Get*": the same pattern, but matching it against every action of the
     * catalog no longer costs the length of the run each time (100,000 stars took 40 s).
     */
    static String collapseStars(String pattern) {
        if (!pattern.contains("**")) {
            return pattern;
        }
        StringBuilder sb = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '*' || sb.length() == 0 || sb.charAt(sb.length() - 1) != '*') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Lower-cases an action for comparison ("S3:GetObject" and "s3:getobject" are the same action). */
    public static String normalizeAction(String action) {
        return action.toLowerCase(Locale.ROOT);
    }
}
