package dev.posture.iam.analysis;

import dev.posture.iam.catalog.AccessLevel;
import dev.posture.iam.catalog.ActionCatalog;
import dev.posture.iam.catalog.ManagedPolicies;
import dev.posture.iam.model.Condition;
import dev.posture.iam.model.EnvVar;
import dev.posture.iam.model.FunctionUrl;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Principal;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Location;
import dev.posture.model.Rule;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetType;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Lambda/IAM analysis: effective permissions of every identity and the checks of
 * {@link IamRules}. Construct once per catalog (the catalog index and pattern expansions are built
 * and memoised here) and reuse it for any number of {@link #analyze} calls, from any thread.
 *
 * <p>Findings on identities (role checks) are computed once per role; when a role is shared by
 * several functions, each function gets its own copy of them (the function is the finding's
 * {@code resource}, and its name starts the logical location), because each function is exposed by
 * the role separately. Roles no function uses and standalone policies are reported with the role or
 * policy name as resource.
 */
public final class IamAnalyzer {
    public static final String USED_BY_CODE = "unknown (code is not analysed)";
    private static final int SAMPLE = 10;
    private static final int HIGH_RISK_CAP = 50;
    private static final String ARROW = " → ";

    private final ActionIndex index;
    private final RiskActions risk;
    private final ManagedPolicyResolver resolver;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, String> actionProblems =
            new java.util.concurrent.ConcurrentHashMap<>();

    public IamAnalyzer(ActionCatalog catalog, ManagedPolicyResolver resolver, Clock clock) {
        this.index = new ActionIndex(Objects.requireNonNull(catalog, "catalog"));
        this.risk = new RiskActions(index);
        this.resolver = resolver == null ? ManagedPolicyResolver.none() : resolver;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** A finding before it is bound to a resource: locations are relative to the identity. */
    private record Draft(Rule rule, String logicalLocation, String logicalPath, Location location, String message,
                         String evidence) {
    }

    private record IdentityResult(EffectivePermissions permissions, List<Draft> drafts) {
    }

    // ------------------------------------------------------------------ entry points

    public AnalysisResult analyze(ServerlessApp app, TargetRef target) {
        List<Finding> findings = new ArrayList<>();
        List<FunctionSummary> summaries = new ArrayList<>();
        for (InputWarning w : app.warnings()) {
            findings.add(inputWarning(w, target));
        }
        // Authorization details (an IAM target) list what AWS has attached: a managed policy posture does
        // not know is newer than its data, not one AWS lacks. So are live policies (origins without a
        // file location). Templates, serverless.yml and plans name policies a deployment will ask AWS for.
        boolean fromAws = target.type() == TargetType.IAM;
        Map<Role, IdentityResult> roles = new HashMap<>(); // equal roles (same role loaded twice) are analysed once
        for (LambdaFunction fn : app.functions()) {
            String prefix = "function " + fn.name();
            IdentityResult ir = null;
            if (fn.role() != null) {
                ir = roles.computeIfAbsent(fn.role(), r -> analyseRole(r, fromAws));
                Location fallback = first(fn.origin().location(), fn.role().origin().location());
                for (Draft d : ir.drafts()) {
                    findings.add(bind(d, target, fn.name(), prefix, fallback));
                }
            }
            functionChecks(fn, target, findings);
            summaries.add(summary(fn, ir, target));
        }
        for (Role r : app.roles()) {
            if (roles.containsKey(r)) {
                continue;
            }
            IdentityResult ir = analyseRole(r, fromAws);
            roles.put(r, ir);
            for (Draft d : ir.drafts()) {
                findings.add(bind(d, target, r.name(), null, r.origin().location()));
            }
        }
        for (Policy p : app.policies()) {
            EffectivePermissions ep = EffectivePermissions.compute(index, "", "", List.of(p), null, this::document);
            // a resource policy of another service (a key, bucket, queue or topic policy) grants to its
            // principals on that resource only: no identity rule applies, a misspelt action still does
            List<Draft> drafts = p.kind() == PolicyKind.RESOURCE ? unknownActionChecks(ep)
                    : identityChecks(ep, "", List.of(p), fromAws);
            for (Draft d : drafts) {
                findings.add(bind(d, target, p.name(), null, p.origin().location()));
            }
        }
        return new AnalysisResult(findings, summaries);
    }

    /** The effective permissions of a role (inline, managed, SAM template policies, boundary). */
    public EffectivePermissions effectivePermissions(Role role) {
        return EffectivePermissions.compute(index, "role " + role.name(), "role/" + role.name(), role.policies(),
                role.permissionsBoundary(), this::document);
    }

    /** The permissions one policy grants on its own. */
    public EffectivePermissions effectivePermissions(Policy policy) {
        return EffectivePermissions.compute(index, "", "", List.of(policy), null, this::document);
    }

    private IdentityResult analyseRole(Role role, boolean fromAws) {
        EffectivePermissions ep = effectivePermissions(role);
        List<Policy> attached = new ArrayList<>(role.policies());
        if (role.permissionsBoundary() != null) {
            attached.add(role.permissionsBoundary());
        }
        return new IdentityResult(ep, identityChecks(ep, "role/" + role.name(), attached, fromAws));
    }

    /**
     * What AWS has for a policy that refers to an AWS managed policy without its document (a bare SAM
     * name, an ARN in any partition), when the resolver knows every AWS managed policy; else empty.
     */
    private Optional<ManagedPolicies.Check> awsCheck(Policy p) {
        if (p.document() != null || p.kind() == PolicyKind.INLINE || p.kind() == PolicyKind.RESOURCE
                || p.kind() == PolicyKind.TRUST || p.kind() == PolicyKind.SAM_TEMPLATE) {
            return Optional.empty();
        }
        String ref;
        if (p.arn() != null) {
            if (!ManagedPolicies.isAwsManagedArnText(p.arn())) {
                return Optional.empty();
            }
            ref = p.arn();
        } else if (p.kind() == PolicyKind.AWS_MANAGED && p.name() != null) {
            ref = p.name();
        } else {
            return Optional.empty();
        }
        return resolver.checkAwsManaged(ref);
    }

    /** The policy's document, resolving AWS managed policies by ARN and path, others by ARN, then by name. */
    private PolicyDocument document(Policy p) {
        if (p.document() != null) {
            return p.document();
        }
        if (p.kind() == PolicyKind.INLINE || p.kind() == PolicyKind.RESOURCE || p.kind() == PolicyKind.TRUST) {
            return null;
        }
        Optional<ManagedPolicies.Check> check = awsCheck(p);
        if (check.isPresent()) {
            switch (check.get().verdict()) {
                case FOUND, OTHER_PATH -> {
                    // a wrong path names no policy AWS has, but the policy of that name is the broadest reading
                    return check.get().policy().document();
                }
                case NOT_FOUND, NOT_LITERAL -> {
                    return null;
                }
                case NOT_AWS_MANAGED -> {
                    // resolved below like any other managed policy
                }
            }
        }
        Optional<PolicyDocument> d = Optional.empty();
        if (p.arn() != null) {
            d = resolver.resolve(p.arn());
        }
        if (d.isEmpty() && p.name() != null) {
            d = resolver.resolve(p.name());
        }
        return d.orElse(null);
    }

    /**
     * A draft bound to its resource. A draft without a location (a statement of a document that is not
     * in the input, attached by nothing the input locates) takes {@code fallback}: the function, role or
     * policy it belongs to — never a place that is not in the input. Live inputs have neither (null).
     */
    private static Finding bind(Draft d, TargetRef target, String resource, String prefix, Location fallback) {
        String loc = prefix == null ? d.logicalLocation()
                : d.logicalLocation().isEmpty() ? prefix : prefix + ARROW + d.logicalLocation();
        return Finding.builder(d.rule(), target)
                .resource(resource)
                .location(first(d.location(), fallback))
                .logicalLocation(loc)
                .logicalPath(d.logicalPath())
                .message(d.message())
                .evidence(d.evidence())
                .build();
    }

    private static Finding inputWarning(InputWarning w, TargetRef target) {
        Origin o = w.origin() == null ? Origin.UNKNOWN : w.origin();
        Location l = o.location();
        String where = l != null ? l.toString() : o.arn() != null ? o.arn() : target.name();
        String resource = l != null ? l.file() : o.arn() != null ? o.arn() : target.name();
        return Finding.builder(IamRules.INPUT_WARNING, target)
                .resource(resource)
                .location(l)
                .logicalLocation(where + (o.pointer() == null || o.pointer().isEmpty() ? "" : " " + o.pointer()))
                .logicalPath("input" + (o.pointer() == null ? "" : o.pointer()) + "/" + w.message())
                .message(w.message() + " (" + where + ")")
                .evidence(o.pointer() == null || o.pointer().isEmpty() ? null : "JSON pointer " + o.pointer())
                .build();
    }

    // ------------------------------------------------------------------ identity checks

    /**
     * Statement-level: unknown actions (every statement, Allow or Deny, boundary too). Not in AWS
     * managed policies: AWS keeps retired services' actions in them (ReadOnlyAccess names
     * deepcomposer:*), which is no typo of the user's and nothing they can fix.
     */
    private List<Draft> unknownActionChecks(EffectivePermissions ep) {
        List<Draft> out = new ArrayList<>();
        for (EffectivePermissions.Located l : ep.statements()) {
            if (awsManaged(l.policy())) {
                continue;
            }
            List<String> problems = unknownActions(l.statement());
            if (!problems.isEmpty()) {
                out.add(new Draft(IamRules.UNKNOWN_ACTION, l.logicalLocation(), l.logicalPath() + "/unknown-action",
                        EffectivePermissions.location(l.policy(), l.statement()),
                        l.statement().label() + " of " + l.policy().label() + " names "
                                + (problems.size() == 1 ? "an action that does not exist: " : problems.size()
                                + " actions that do not exist: ") + String.join("; ", problems),
                        "effect " + l.statement().effect() + "; " + actionsText(l.statement())));
            }
        }
        return out;
    }

    /**
     * @param attached the identity's policies and boundary as attached (for references to AWS managed
     *                 policies AWS does not have under that ARN)
     * @param fromAws  the input lists what AWS has attached (authorization details): an unknown AWS
     *                 managed policy is newer than the bundled data, not a wrong reference
     */
    private List<Draft> identityChecks(EffectivePermissions ep, String pathBase, List<Policy> attached,
                                       boolean fromAws) {
        List<Draft> out = new ArrayList<>();
        String idLabel = ep.identity().isEmpty() ? "the policy" : ep.identity();
        String base = pathBase.isEmpty() ? "" : pathBase + "/";

        for (Policy p : ep.unresolvedPolicies()) {
            String rel = (ep.identity().isEmpty() ? "" : ep.identity() + ARROW) + p.label();
            Optional<ManagedPolicies.Check> check = awsCheck(p);
            if (check.isPresent() && check.get().verdict() == ManagedPolicies.Verdict.NOT_FOUND && !fromAws
                    && p.origin().location() != null) {
                ManagedPolicies.Check c = check.get();
                String named = p.arn() == null ? p.name() : p.name() + " (" + p.arn() + ")";
                out.add(new Draft(IamRules.INPUT_WARNING, rel, base + "policy/" + p.name() + "/unresolved",
                        p.origin().location(), "AWS has no managed policy " + named
                        + ": the deployment fails (AWS rejects the reference); nothing of it is analysed"
                        + (c.suggestion() == null ? "" : ". Did you mean " + c.suggestion() + "?"),
                        join(p.arn() == null ? null : "ARN " + p.arn(), "checked against " + c.basis())));
            } else if (check.isPresent() && check.get().verdict() == ManagedPolicies.Verdict.NOT_FOUND) {
                out.add(new Draft(IamRules.INPUT_WARNING, rel, base + "policy/" + p.name() + "/unresolved",
                        p.origin().location(), p.label() + " is not among the AWS managed policies posture knows "
                        + "(newer than its data, or deprecated); its permissions are not analysed",
                        join(p.arn() == null ? null : "ARN " + p.arn(), "checked against " + check.get().basis())));
            } else {
                out.add(new Draft(IamRules.INPUT_WARNING, rel, base + "policy/" + p.name() + "/unresolved",
                        p.origin().location(), p.label() + " could not be resolved; its permissions are not analysed",
                        p.arn() == null ? null : "ARN " + p.arn()));
            }
        }
        if (!fromAws) {
            for (Policy p : attached) {
                Optional<ManagedPolicies.Check> check = awsCheck(p);
                if (check.isEmpty() || check.get().verdict() != ManagedPolicies.Verdict.OTHER_PATH
                        || p.origin().location() == null) {
                    continue;
                }
                String real = check.get().policy().arn();
                String rel = (ep.identity().isEmpty() ? "" : ep.identity() + ARROW) + p.label();
                out.add(new Draft(IamRules.INPUT_WARNING, rel, base + "policy/" + p.name() + "/wrong-path",
                        p.origin().location(), "AWS has no managed policy " + p.arn()
                        + ": the deployment fails (AWS rejects the ARN). The policy of that name is " + real
                        + "; it is analysed in its place",
                        join("ARN as written " + p.arn(), "AWS managed policy " + real,
                                "checked against " + check.get().basis())));
            }
        }

        out.addAll(unknownActionChecks(ep));

        for (EffectivePermissions.StatementGrant g : ep.statementGrants()) {
            statementChecks(g, out);
        }

        String admin = ep.adminReason();
        if (admin != null) {
            EffectivePermissions.StatementGrant top = null;
            for (EffectivePermissions.StatementGrant g : ep.statementGrants()) {
                if (top == null || g.unconstrained.cardinality() > top.unconstrained.cardinality()) {
                    top = g;
                }
            }
            GrantingStatement ref = top.ref;
            out.add(new Draft(IamRules.WILDCARD_ADMIN, ref.logicalLocation(), base + "admin",
                    ref.location(), capitalise(idLabel) + " is admin-equivalent: " + admin,
                    join("granted mainly by " + ref.statement().label() + " of " + ref.policy().label() + " ("
                            + actionsText(ref.statement()) + " on " + resourcesText(ref.statement()) + ")",
                            ref.conditional() ? "conditional: " + EffectivePermissions.conditions(ref.statement()) : null,
                            notes(ep.notes()))));
        }

        BitSet granted = ep.grantedBits();
        List<EscalationMethod> methods = new ArrayList<>();
        methods:
        for (int m = 0; m < risk.escalationPositions.length; m++) {
            for (int[] group : risk.escalationPositions[m]) {
                boolean any = false;
                for (int p : group) {
                    if (granted.get(p)) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    continue methods;
                }
            }
            methods.add(EscalationMethod.ALL.get(m));
        }
        if (admin != null && methods.size() > 1) {
            // An admin-equivalent identity has every method; one finding names them all instead of dozens.
            adminEscalation(ep, methods, idLabel, base, out);
        } else {
            for (EscalationMethod m : methods) {
                escalation(ep, m, idLabel, base, out);
            }
        }

        BitSet infra = (BitSet) ep.unconstrainedBits().clone();
        infra.and(risk.write);
        infra.andNot(risk.categorised);
        if (!infra.isEmpty()) {
            EffectivePermissions.StatementGrant most = null;
            int mostCount = 0;
            for (EffectivePermissions.StatementGrant g : ep.statementGrants()) {
                if (g.unconstrained.intersects(infra)) {
                    BitSet b = (BitSet) g.unconstrained.clone();
                    b.and(infra);
                    if (b.cardinality() > mostCount) {
                        mostCount = b.cardinality();
                        most = g;
                    }
                }
            }
            GrantingStatement first = most.ref;
            int count = infra.cardinality();
            out.add(new Draft(IamRules.INFRASTRUCTURE_MODIFICATION, first.logicalLocation(),
                    base + "infrastructure-modification", first.location(),
                    capitalise(idLabel) + " has " + count + " write action(s) on unconstrained resources beyond the "
                            + "escalation, exposure, credential and data categories, e.g. "
                            + String.join(", ", index.names(infra, 5)),
                    join("count " + count, "sample " + index.names(infra, SAMPLE),
                            mostCount + " of them granted by " + first.statement().label() + " of " + first.policy().label(),
                            notes(ep.notes()))));
        }
        return out;
    }

    private void statementChecks(EffectivePermissions.StatementGrant g, List<Draft> out) {
        GrantingStatement ref = g.ref;
        Statement s = ref.statement();
        String where = s.label() + " of " + ref.policy().label();
        String path = ref.logicalPath();
        Location loc = ref.location();
        List<String> notes = g.notes;

        if (s.notAction()) {
            out.add(new Draft(IamRules.NOTACTION_ALLOW, ref.logicalLocation(), path + "/notaction", loc,
                    where + " allows every action except " + capped(s.actions()) + " (" + g.effective.cardinality()
                            + " actions) on " + resourcesText(s),
                    evidence(s, null, notes)));
        }
        if (s.notResource()) {
            out.add(new Draft(IamRules.NOTRESOURCE_ALLOW, ref.logicalLocation(), path + "/notresource", loc,
                    where + " allows " + actionsText(s) + " on every resource except " + capped(s.resources()),
                    evidence(s, null, notes)));
        }
        if (g.effective.isEmpty()) {
            return;
        }
        if (!s.notAction()) {
            List<String> services = new ArrayList<>();
            List<String> patterns = new ArrayList<>();
            for (String p : s.actions()) {
                if (p.contains("${")) {
                    continue;
                }
                int colon = p.indexOf(':');
                if (colon > 0 && Resources.onlyWildcards(p.substring(colon + 1))
                        && p.substring(0, colon).indexOf('*') < 0 && p.substring(0, colon).indexOf('?') < 0) {
                    ActionIndex.Expansion svcExp = index.expand(p);
                    if (svcExp.intersects(g.effective)) {
                        BitSet svc = svcExp.toBits();
                        BitSet kept = (BitSet) svc.clone();
                        kept.and(g.effective);
                        services.add(p + " (" + kept.cardinality() + " of " + svc.cardinality() + " actions)");
                    }
                }
                if ((p.indexOf('*') >= 0 || p.indexOf('?') >= 0) && index.expand(p).intersects(g.unconstrained)) {
                    patterns.add(p);
                }
            }
            if (!services.isEmpty()) {
                out.add(new Draft(IamRules.SERVICE_WILDCARD, ref.logicalLocation(), path + "/service-wildcard", loc,
                        where + " grants whole service" + (services.size() > 1 ? "s " : " ") + String.join(", ", services),
                        evidence(s, null, notes)));
            }
            if (!patterns.isEmpty()) {
                out.add(new Draft(IamRules.WILDCARD_ACTION, ref.logicalLocation(), path + "/wildcard-action", loc,
                        where + " grants wildcard action pattern" + (patterns.size() > 1 ? "s " : " ")
                                + String.join(", ", patterns) + " on unconstrained resource " + unconstrainedText(s),
                        evidence(s, null, notes)));
            }
        }
        if (g.unconstrained.intersects(risk.passRole)) {
            out.add(new Draft(IamRules.PASSROLE_WILDCARD, ref.logicalLocation(), path + "/passrole", loc,
                    where + " grants iam:PassRole on unconstrained resource " + unconstrainedText(s)
                            + ": any role can be passed to a service",
                    evidence(s, null, notes)));
        }
        category(g, g.unconstrained, risk.dataExfiltration, IamRules.DATA_EXFILTRATION, "data-exfiltration",
                where + " can read data or secrets on unconstrained resources: ", out);
        category(g, g.effective, risk.resourceExposure, IamRules.RESOURCE_EXPOSURE, "resource-exposure",
                where + " can change resource-based policies or ACLs: ", out);
        BitSet creds = (BitSet) g.effective.clone();
        creds.and(risk.credentials);
        BitSet credsUnc = (BitSet) g.unconstrained.clone();
        credsUnc.and(risk.credentialsUnconstrained);
        creds.or(credsUnc);
        category(g, creds, creds, IamRules.CREDENTIALS_EXPOSURE, "credentials-exposure",
                where + " can create or obtain credentials: ", out);
    }

    private void category(EffectivePermissions.StatementGrant g, BitSet granted, BitSet category, Rule rule,
                          String slug, String messagePrefix, List<Draft> out) {
        if (!granted.intersects(category)) {
            return;
        }
        BitSet hit = (BitSet) granted.clone();
        hit.and(category);
        int n = hit.cardinality();
        List<String> names = index.names(hit, SAMPLE);
        String list = String.join(", ", names) + (n > names.size() ? " (+" + (n - names.size()) + " more)" : "");
        out.add(new Draft(rule, g.ref.logicalLocation(), g.ref.logicalPath() + "/" + slug, g.ref.location(),
                messagePrefix + list, evidence(g.ref.statement(), "matched " + n + " action(s)", g.notes)));
    }

    private void adminEscalation(EffectivePermissions ep, List<EscalationMethod> methods, String idLabel, String base,
                                 List<Draft> out) {
        GrantingStatement first = null;
        for (EscalationMethod m : methods) {
            for (List<String> group : m.required()) {
                for (String a : group) {
                    Optional<Grant> gr = ep.grant(a);
                    if (gr.isPresent() && !gr.get().statements().isEmpty()) {
                        first = gr.get().statements().get(0);
                        break;
                    }
                }
                if (first != null) {
                    break;
                }
            }
            if (first != null) {
                break;
            }
        }
        List<String> names = methods.stream().map(EscalationMethod::name).toList();
        out.add(new Draft(IamRules.PRIVILEGE_ESCALATION, first.logicalLocation(), base + "privilege-escalation/all",
                first.location(),
                capitalise(idLabel) + " can escalate privileges by " + methods.size()
                        + " methods, as any admin-equivalent identity can: " + String.join(", ", names),
                join("methods " + String.join(", ", names), "granted by " + first.statement().label() + " of "
                        + first.policy().label(), notes(ep.notes()))));
    }

    private void escalation(EffectivePermissions ep, EscalationMethod m, String idLabel, String base, List<Draft> out) {
        List<String> parts = new ArrayList<>();
        GrantingStatement first = null;
        boolean conditional = false;
        for (List<String> group : m.required()) {
            Grant found = null;
            for (String a : group) {
                Optional<Grant> gr = ep.grant(a);
                if (gr.isPresent()) {
                    found = gr.get();
                    break;
                }
            }
            if (found == null) {
                return;
            }
            conditional |= found.conditional();
            List<String> labels = new ArrayList<>();
            for (GrantingStatement gs : found.statements()) {
                labels.add(gs.statement().label() + " of " + gs.policy().label());
                if (first == null) {
                    first = gs;
                }
            }
            parts.add(found.action() + (found.unconstrainedResource() ? " on any resource" : " on specific resources")
                    + (found.conditional() ? " (conditional)" : "") + " by " + String.join(", ", labels));
        }
        String actions = String.join(" + ", m.required().stream().map(gr -> String.join("|", gr)).toList());
        out.add(new Draft(IamRules.PRIVILEGE_ESCALATION, first.logicalLocation(),
                base + "privilege-escalation/" + m.name(), first.location(),
                capitalise(idLabel) + " can escalate privileges by " + m.name() + " (" + actions + "): " + m.description(),
                join("method " + m.name(), String.join("; ", parts),
                        conditional ? "some required actions are granted only under conditions" : null,
                        notes(ep.notes()))));
    }

    private static boolean awsManaged(Policy p) {
        return p.kind() == PolicyKind.AWS_MANAGED || (p.arn() != null && p.arn().matches("arn:[^:]+:iam::aws:policy/.*"));
    }

    private List<String> unknownActions(Statement s) {
        List<String> problems = new ArrayList<>(0);
        for (String p : s.actions()) {
            if (p.equals("*") || p.contains("${")) {
                continue;
            }
            String problem = actionProblems.get(p);
            if (problem == null) {
                problem = actionProblem(p);
                if (actionProblems.size() < 100_000) {
                    actionProblems.put(p, problem);
                }
            }
            if (!problem.isEmpty()) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** What is wrong with one action pattern, or "" (memoised per pattern as written). */
    private String actionProblem(String p) {
        int colon = p.indexOf(':');
        if (colon <= 0 || colon == p.length() - 1) {
            return "\"" + p + "\" is not of the form service:action";
        }
        String prefix = p.substring(0, colon);
        boolean wildcard = p.indexOf('*') >= 0 || p.indexOf('?') >= 0;
        if (prefix.indexOf('*') >= 0 || prefix.indexOf('?') >= 0) {
            return index.expand(p).isEmpty() ? "\"" + p + "\" matches no action" : "";
        }
        if (!index.catalog.serviceExists(prefix.toLowerCase(Locale.ROOT))) {
            return "\"" + p + "\" has unknown service prefix \"" + prefix + "\"" + suggestion(p);
        }
        if (!wildcard && index.position(p) < 0) {
            return "\"" + p + "\" does not exist" + suggestion(p);
        }
        if (wildcard && index.expand(p).isEmpty()) {
            return "\"" + p + "\" matches no action of " + prefix;
        }
        return "";
    }

    private String suggestion(String action) {
        try {
            return index.catalog.suggest(action).map(s -> " (did you mean " + s + "?)").orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ function checks

    private static final Set<String> RESTRICTING_KEYS = Set.of("aws:sourcearn", "aws:sourceaccount",
            "aws:principalorgid", "aws:principalaccount", "aws:sourceorgid", "aws:sourceorgpaths",
            "aws:principalorgpaths", "aws:principalarn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
            "lambda:eventsourcetoken");
    private static final Set<String> SOURCE_KEYS = Set.of("aws:sourcearn", "aws:sourceaccount");
    private static final List<String> INVOKE_ACTIONS = List.of("lambda:InvokeFunction", "lambda:InvokeFunctionUrl",
            "lambda:InvokeAsync");

    private void functionChecks(LambdaFunction fn, TargetRef target, List<Finding> out) {
        String fnLoc = "function " + fn.name();
        String fnPath = "function/" + fn.name();
        Location fnLocation = fn.origin().location();

        PolicyDocument rp = fn.resourcePolicy();
        if (rp != null) {
            String own = Resources.accountOfArn(fn.arn());
            for (Statement s : rp.statements()) {
                List<String> problems = unknownActions(s);
                if (!problems.isEmpty()) {
                    out.add(finding(IamRules.UNKNOWN_ACTION, target, fn.name(), s.origin().location(),
                            fnLoc + ARROW + "resource policy" + ARROW + s.label(),
                            fnPath + "/resource-policy/statement/" + s.index() + "/unknown-action",
                            s.label() + " of the resource policy of " + fn.name() + " names "
                                    + (problems.size() == 1 ? "an action that does not exist: " : problems.size()
                                    + " actions that do not exist: ") + String.join("; ", problems),
                            "effect " + s.effect() + "; " + actionsText(s)));
                }
                if (!s.allows()) {
                    continue;
                }
                List<String> invoke = invokeActions(s);
                if (invoke.isEmpty() || s.principal() == null && !s.notPrincipal()) {
                    continue;
                }
                String loc = fnLoc + ARROW + "resource policy" + ARROW + s.label();
                String path = fnPath + "/resource-policy/statement/" + s.index();
                Location sl = s.origin().location();
                Principal pr = s.principal();
                String ev = join("actions " + invoke, "principal " + (s.notPrincipal() ? "NotPrincipal " : "")
                                + (pr == null ? "" : pr.byType()),
                        s.hasConditions() ? "conditions " + EffectivePermissions.conditions(s) : "no conditions");
                boolean anyone = anyone(s);
                if (anyone && !hasKey(s, RESTRICTING_KEYS) && !deniedToOthers(rp, invoke, RESTRICTING_KEYS)) {
                    boolean url = invoke.contains("lambda:InvokeFunctionUrl");
                    boolean authNone = conditionEquals(s, "lambda:FunctionUrlAuthType", "NONE");
                    out.add(finding(IamRules.PUBLIC_INVOKE, target, fn.name(), sl, loc, path + "/public",
                            "Anyone can invoke function " + fn.name() + " (" + s.label() + " of its resource policy "
                                    + "allows " + String.join(", ", invoke) + " to \"*\" without a source or "
                                    + "organisation restriction"
                                    + (url && authNone ? "; lambda:FunctionUrlAuthType NONE makes the function URL public" : "")
                                    + ")", ev));
                }
                if (pr != null) {
                    List<String> services = pr.values("Service");
                    if (!services.isEmpty() && !hasKey(s, SOURCE_KEYS) && !deniedToOthers(rp, invoke, SOURCE_KEYS)) {
                        out.add(finding(IamRules.CONFUSED_DEPUTY_RULE, target, fn.name(), sl, loc, path + "/confused-deputy",
                                "Service principal " + String.join(", ", services) + " may invoke function " + fn.name()
                                        + " without aws:SourceArn or aws:SourceAccount (" + s.label()
                                        + " of its resource policy): resources in other accounts can trigger it", ev));
                    }
                    List<String> others = new ArrayList<>();
                    for (String a : pr.values("AWS")) {
                        String acct = Resources.literalAccount(a);
                        if (acct != null && !acct.equals(own)) {
                            others.add(a);
                        }
                    }
                    if (!others.isEmpty() && !deniedToOthers(rp, invoke, Set.of())) {
                        out.add(finding(IamRules.CROSS_ACCOUNT_INVOKE, target, fn.name(), sl, loc, path + "/cross-account",
                                "Another account may invoke function " + fn.name() + ": " + String.join(", ", others)
                                        + " (" + s.label() + " of its resource policy"
                                        + (own == null ? "; the function's own account is unknown" : "; own account " + own)
                                        + ")", ev));
                    }
                }
            }
        }

        for (FunctionUrl u : fn.urls()) {
            String q = u.qualifier() == null ? "$LATEST" : u.qualifier();
            String loc = fnLoc + ARROW + "function URL " + q;
            String path = fnPath + "/url/" + q;
            Location ul = u.origin().location() != null ? u.origin().location() : fnLocation;
            if (u.noAuth()) {
                out.add(finding(IamRules.FUNCTION_URL_NO_AUTH, target, fn.name(), ul, loc, path + "/auth",
                        "Function URL (" + q + ") of " + fn.name() + " has AuthType NONE", urlPermissionPair(fn)));
            }
            if (u.allowOrigins().contains("*")) {
                out.add(finding(IamRules.CORS_WILDCARD, target, fn.name(), ul, loc, path + "/cors",
                        "Function URL (" + q + ") of " + fn.name() + " allows any origin (AllowOrigins \"*\")",
                        join("AllowOrigins " + u.allowOrigins(), "AllowCredentials " + u.allowCredentials())));
            }
        }

        for (EnvVar e : fn.environment()) {
            Optional<SecretDetector.Match> m = SecretDetector.detect(e.name(), e.value());
            if (m.isEmpty() && e.value() == null) {
                m = SecretDetector.detectEmbedded(e.expression());
            }
            if (m.isPresent()) {
                Location el = e.origin() != null && e.origin().location() != null ? e.origin().location() : fnLocation;
                out.add(finding(IamRules.SECRET_IN_ENV, target, fn.name(), el,
                        fnLoc + ARROW + "environment " + e.name(), fnPath + "/environment/" + e.name(),
                        "Environment variable " + e.name() + " of " + fn.name() + " holds a secret: " + m.get().kind()
                                + " (" + m.get().masked() + ")",
                        join("kind " + m.get().kind(), "variable " + e.name(), "value " + m.get().masked())));
            }
        }

        LocalDate today = LocalDate.now(clock);
        if (fn.runtime() != null && LambdaRuntimes.deprecated(fn.runtime(), today)) {
            LocalDate d = LambdaRuntimes.deprecation(fn.runtime()).orElseThrow();
            out.add(finding(IamRules.DEPRECATED_RUNTIME, target, fn.name(), fnLocation, fnLoc + ARROW + "runtime",
                    fnPath + "/runtime", "Runtime " + fn.runtime() + " of " + fn.name()
                            + " reached end of support on " + d,
                    join("runtime " + fn.runtime(), "deprecated " + d, "scan date " + today)));
        }
        if (configurationUnknown(fn)) {
            // Known only through its resource policy (a GetPolicy response, a permission on a function
            // outside the template): whether a DLQ, tracing or code signing is configured is unknown, not absent.
            return;
        }
        if (fn.asyncInvoked() && (fn.deadLetterTarget() == null || fn.deadLetterTarget().isBlank())) {
            out.add(finding(IamRules.MISSING_DLQ, target, fn.name(), fnLocation, fnLoc, fnPath + "/dead-letter",
                    "Function " + fn.name() + " is invoked asynchronously but has no dead-letter queue or on-failure "
                            + "destination", null));
        }
        if (fn.tracingMode() == null || !fn.tracingMode().equalsIgnoreCase("Active")) {
            out.add(finding(IamRules.MISSING_TRACING, target, fn.name(), fnLocation, fnLoc, fnPath + "/tracing",
                    "X-Ray tracing of " + fn.name() + " is not active ("
                            + (fn.tracingMode() == null ? "not configured" : "mode " + fn.tracingMode()) + ")", null));
        }
        boolean zip = fn.packageType() == null || fn.packageType().equalsIgnoreCase("Zip");
        if (zip && (fn.codeSigningConfigArn() == null || fn.codeSigningConfigArn().isBlank())) {
            out.add(finding(IamRules.MISSING_CODE_SIGNING, target, fn.name(), fnLocation, fnLoc,
                    fnPath + "/code-signing", "Function " + fn.name() + " has no code-signing configuration", null));
        }
    }

    /** A function the input names only through its resource policy: nothing of its configuration is given. */
    static boolean configurationUnknown(LambdaFunction fn) {
        return fn.runtime() == null && fn.packageType() == null && fn.imageUri() == null && fn.role() == null
                && fn.environment().isEmpty() && fn.urls().isEmpty() && fn.tracingMode() == null
                && fn.deadLetterTarget() == null && fn.codeSigningConfigArn() == null;
    }

    private static List<String> invokeActions(Statement s) {
        List<String> out = new ArrayList<>();
        for (String a : INVOKE_ACTIONS) {
            boolean matched = false;
            for (String p : s.actions()) {
                if (Resources.wildcardMatch(p, a, true)) {
                    matched = true;
                    break;
                }
            }
            if (matched != s.notAction()) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Everyone: {@code "*"}, {@code {"AWS": "*"}}, an AWS principal with a wildcard account
     * ({@code arn:aws:iam::*:root}), or NotPrincipal with Allow.
     */
    private static boolean anyone(Statement s) {
        if (s.notPrincipal()) {
            return true;
        }
        Principal pr = s.principal();
        if (pr == null) {
            return false;
        }
        if (pr.isAnyone()) {
            return true;
        }
        for (String a : pr.values("AWS")) {
            if (a.contains("*")) {
                return true;
            }
        }
        return false;
    }

    /** True when a condition restricts by one of the keys (IfExists and Null operators, and "*" values, do not). */
    private static boolean hasKey(Statement s, Set<String> keys) {
        for (Condition c : s.conditions()) {
            String op = c.operator().toLowerCase(Locale.ROOT);
            if (op.endsWith("ifexists") || op.equals("null") || !keys.contains(c.keyLower())) {
                continue;
            }
            if (c.values().isEmpty() || c.values().stream().allMatch(v -> v.equals("*"))) {
                continue;
            }
            return true;
        }
        return false;
    }

    /**
     * True when a Deny of the resource policy, for everyone, takes every one of {@code invoke} away from
     * those the Allow would admit: unconditionally (nobody may invoke), or under a negated condition on
     * one of {@code keys} (Deny "*" unless StringEquals aws:PrincipalOrgID …, written StringNotEquals),
     * which restricts the Allow as if the Allow carried the condition itself.
     */
    private static boolean deniedToOthers(PolicyDocument rp, List<String> invoke, Set<String> keys) {
        for (Statement d : rp.statements()) {
            if (d.allows() || !anyone(d) || !invokeActions(d).containsAll(invoke)) {
                continue;
            }
            if (!d.hasConditions()) {
                return true;
            }
            for (Condition c : d.conditions()) {
                String op = c.operator().toLowerCase(Locale.ROOT);
                if (op.contains("not") && !op.endsWith("ifexists") && keys.contains(c.keyLower())
                        && !c.values().isEmpty() && c.values().stream().noneMatch(v -> v.equals("*"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean conditionEquals(Statement s, String key, String value) {
        for (Condition c : s.conditions()) {
            if (c.keyIs(key) && c.values().stream().anyMatch(v -> v.equalsIgnoreCase(value))) {
                return true;
            }
        }
        return false;
    }

    private static String urlPermissionPair(LambdaFunction fn) {
        List<String> urlGrants = new ArrayList<>();
        List<String> invokeGrants = new ArrayList<>();
        if (fn.resourcePolicy() != null) {
            for (Statement s : fn.resourcePolicy().statements()) {
                if (!s.allows() || !anyone(s) || hasKey(s, RESTRICTING_KEYS)) {
                    continue;
                }
                List<String> inv = invokeActions(s);
                if (inv.contains("lambda:InvokeFunctionUrl")) {
                    urlGrants.add(s.label());
                }
                if (inv.contains("lambda:InvokeFunction")) {
                    invokeGrants.add(s.label());
                }
            }
        }
        String pair = "public permission pair: lambda:InvokeFunctionUrl to \"*\" "
                + (urlGrants.isEmpty() ? "not granted" : "in " + urlGrants) + ", lambda:InvokeFunction to \"*\" "
                + (invokeGrants.isEmpty() ? "not granted" : "in " + invokeGrants);
        String verdict = !urlGrants.isEmpty() && !invokeGrants.isEmpty() ? "the URL is publicly invocable"
                : !urlGrants.isEmpty() ? "the URL is public once lambda:InvokeFunction is also granted to \"*\" (required since October 2025)"
                : "no public permission in the resource policy seen here; the URL is public as soon as it is added";
        return join("AuthType NONE", pair, verdict);
    }

    private static Finding finding(Rule rule, TargetRef target, String resource, Location location, String logicalLocation,
                                   String logicalPath, String message, String evidence) {
        return Finding.builder(rule, target).resource(resource).location(location).logicalLocation(logicalLocation)
                .logicalPath(logicalPath).message(message).evidence(evidence).build();
    }

    // ------------------------------------------------------------------ summary

    private FunctionSummary summary(LambdaFunction fn, IdentityResult ir, TargetRef target) {
        String image = "Image".equalsIgnoreCase(fn.packageType()) ? fn.imageUri() : null;
        if (ir == null) {
            return new FunctionSummary(target, fn.name(), null, false, 0, Map.of(), List.of(), USED_BY_CODE, image);
        }
        EffectivePermissions ep = ir.permissions();
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (Map.Entry<AccessLevel, Integer> e : ep.countsByLevel().entrySet()) {
            levels.put(e.getKey().label(), e.getValue());
        }
        BitSet hr = (BitSet) ep.grantedBits().clone();
        hr.and(risk.highRisk);
        BitSet hrUnc = (BitSet) ep.unconstrainedBits().clone();
        hrUnc.and(risk.highRiskUnconstrained);
        hr.or(hrUnc);
        return new FunctionSummary(target, fn.name(), fn.role().name(), ep.adminEquivalent(), ep.grantedCount(), levels,
                index.names(hr, HIGH_RISK_CAP), USED_BY_CODE, image);
    }

    // ------------------------------------------------------------------ text helpers

    private static String evidence(Statement s, String extra, List<String> notes) {
        return join((s.notAction() ? "NotAction " : "Action ") + capped(s.actions()),
                (s.notResource() ? "NotResource " : "Resource ") + (s.resources().isEmpty() ? "(none)" : capped(s.resources())),
                s.hasConditions() ? "Condition " + EffectivePermissions.conditions(s) : null,
                extra, notes(notes));
    }

    /** A list as text, at most 20 elements and "(+N more)". */
    private static String capped(List<String> values) {
        if (values.size() <= 20) {
            return values.toString();
        }
        return values.subList(0, 20).toString().replaceFirst("]$", ", … (+" + (values.size() - 20) + " more)]");
    }

    private static String notes(List<String> notes) {
        return notes == null || notes.isEmpty() ? null : String.join("; ", notes);
    }

    private static String actionsText(Statement s) {
        return (s.notAction() ? "NotAction " : "Action ") + capped(s.actions());
    }

    private static String resourcesText(Statement s) {
        return (s.notResource() ? "NotResource " : "") + (s.resources().isEmpty() ? "[*]" : capped(s.resources()));
    }

    private static String unconstrainedText(Statement s) {
        if (s.notResource()) {
            return "(NotResource " + s.resources() + ")";
        }
        for (String r : s.resources()) {
            if (Resources.isUnconstrained(r)) {
                return r;
            }
        }
        return "*";
    }

    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p == null || p.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(p);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static Location first(Location a, Location b) {
        return a != null ? a : b;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Exposed for tests and the docs: the rules this analyzer reports. */
    public static List<Rule> rules() {
        return IamRules.all();
    }

}
