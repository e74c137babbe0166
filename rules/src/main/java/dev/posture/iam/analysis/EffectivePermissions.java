package dev.posture.iam.analysis;

import dev.posture.iam.catalog.AccessLevel;
import dev.posture.iam.model.Condition;
import dev.posture.iam.model.Effect;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.PolicyDocument;
import dev.posture.iam.model.PolicyKind;
import dev.posture.iam.model.Statement;
import dev.posture.model.Location;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The effective permissions of one identity: the union of its Allow statements (inline, customer
 * managed, AWS managed, SAM policy templates) minus unconditional Denies that cover them, intersected
 * with the permissions boundary when there is one.
 *
 * <p>Per Allow statement the result keeps the set of actions it still grants and the subset it grants
 * on unconstrained resources, as bit sets over the catalog index. {@link #grant(String)} and
 * {@link #grants()} turn that into the per-action view (action → granting statements, unconstrained?,
 * conditional?) on demand, so analysing a policy costs time proportional to its statements.
 *
 * <p>Semantics (see docs/iam-analysis.md): an unconditional Deny removes actions from an Allow statement
 * when its Resource covers the Allow's resources (a Deny on an unconstrained resource covers everything;
 * otherwise each Allow resource must match a Deny resource pattern). An unconditional Deny with a
 * NotResource list of particular resources ("deny everything but bucket X") leaves its actions granted
 * on those resources only: no longer on unconstrained resources. A conditional Deny, a Deny with an
 * unconstrained NotResource, or a Deny on narrower resources is not subtracted, and the evidence says so.
 */
public final class EffectivePermissions {

    /** One Allow statement and what it still grants. */
    static final class StatementGrant {
        final GrantingStatement ref;
        final BitSet effective;
        final BitSet unconstrained;
        final List<String> notes;

        StatementGrant(GrantingStatement ref, BitSet effective, BitSet unconstrained, List<String> notes) {
            this.ref = ref;
            this.effective = effective;
            this.unconstrained = unconstrained;
            this.notes = notes;
        }
    }

    /** A statement of any effect with its place, used for statement-level checks. */
    record Located(Policy policy, Statement statement, String logicalLocation, String logicalPath, boolean boundary) {
    }

    private final ActionIndex index;
    private final String identity;
    private final List<StatementGrant> allows;
    private final List<Located> statements;
    private final BitSet granted;
    private final BitSet grantedUnconstrained;
    private final BitSet grantedUnconditional;
    private final List<String> notes;
    private final List<Policy> unresolved;
    private final boolean boundaryApplied;
    private Map<String, Grant> grants;

    private EffectivePermissions(ActionIndex index, String identity, List<StatementGrant> allows,
                                 List<Located> statements, BitSet granted, BitSet grantedUnconstrained,
                                 BitSet grantedUnconditional, List<String> notes, List<Policy> unresolved,
                                 boolean boundaryApplied) {
        this.index = index;
        this.identity = identity;
        this.allows = allows;
        this.statements = statements;
        this.granted = granted;
        this.grantedUnconstrained = grantedUnconstrained;
        this.grantedUnconditional = grantedUnconditional;
        this.notes = notes;
        this.unresolved = unresolved;
        this.boundaryApplied = boundaryApplied;
    }

    // ------------------------------------------------------------------ computation

    private record Deny(Located where, BitSet actions, boolean conditional, boolean notResource,
                        List<String> resources, boolean unconstrained) {
    }

    /**
     * @param identity  e.g. "role OrdersRole" (or "managed policy X" for a standalone policy)
     * @param pathBase  e.g. "role/OrdersRole" (or "" for a standalone policy)
     * @param policies  identity policies; documents that are null are resolved through {@code resolver}
     * @param boundary  the permissions boundary, or null
     */
    static EffectivePermissions compute(ActionIndex index, String identity, String pathBase, List<Policy> policies,
                                        Policy boundary, Function<Policy, PolicyDocument> resolver) {
        Set<String> notes = new LinkedHashSet<>();
        List<Policy> unresolved = new ArrayList<>();
        List<Located> all = new ArrayList<>();
        List<Located> allowStatements = new ArrayList<>();
        List<Deny> denies = new ArrayList<>();

        for (Policy p : policies) {
            PolicyDocument doc = resolver.apply(p);
            if (doc == null) {
                unresolved.add(p);
                notes.add(p.label() + (p.arn() != null && !p.arn().equals(p.name()) ? " (" + p.arn() + ")" : "")
                        + " could not be resolved; its permissions are not included");
                continue;
            }
            String loc = (identity.isEmpty() ? "" : identity + " → ") + p.label();
            String path = (pathBase.isEmpty() ? "" : pathBase + "/") + "policy/" + p.name();
            for (Statement s : doc.statements()) {
                Located l = new Located(p, s, loc + " → " + s.label(), path + "/statement/" + s.index(), false);
                all.add(l);
                if (s.effect() == Effect.ALLOW) {
                    allowStatements.add(l);
                } else {
                    denies.add(deny(index, l));
                }
            }
        }

        // permissions boundary: what it allows (anywhere / on unconstrained resources), minus its own unconditional Denies
        BitSet boundaryAllowed = null;
        BitSet boundaryUnconstrained = null;
        boolean boundaryApplied = false;
        if (boundary != null) {
            PolicyDocument bdoc = resolver.apply(boundary);
            if (bdoc == null) {
                unresolved.add(boundary);
                notes.add("permissions boundary " + boundary.name() + " could not be resolved; it is not applied");
            } else {
                boundaryApplied = true;
                boundaryAllowed = new BitSet(index.size());
                boundaryUnconstrained = new BitSet(index.size());
                BitSet boundaryDenied = new BitSet(index.size());
                String loc = (identity.isEmpty() ? "" : identity + " → ") + "permissions boundary " + boundary.name();
                String path = (pathBase.isEmpty() ? "" : pathBase + "/") + "boundary/" + boundary.name();
                for (Statement s : bdoc.statements()) {
                    all.add(new Located(boundary, s, loc + " → " + s.label(), path + "/statement/" + s.index(), true));
                    BitSet acts = actions(index, s);
                    if (s.effect() == Effect.ALLOW) {
                        boundaryAllowed.or(acts);
                        if (s.notResource() || Resources.anyUnconstrained(s.resources())) {
                            boundaryUnconstrained.or(acts);
                        }
                    } else if (!s.hasConditions() && !s.notResource() && Resources.anyUnconstrained(s.resources())) {
                        boundaryDenied.or(acts);
                    }
                }
                boundaryAllowed.andNot(boundaryDenied);
                boundaryUnconstrained.andNot(boundaryDenied);
            }
        }

        int n = index.size();
        BitSet granted = new BitSet(n);
        BitSet grantedUnc = new BitSet(n);
        BitSet grantedUncond = new BitSet(n);
        List<StatementGrant> grants = new ArrayList<>(allowStatements.size());
        for (Located a : allowStatements) {
            Statement s = a.statement();
            BitSet eff = (BitSet) actions(index, s).clone();
            boolean unconstrained = s.notResource() || Resources.anyUnconstrained(s.resources());
            List<String> stNotes = new ArrayList<>(0);
            BitSet confined = null; // actions an unconditional Deny with NotResource limits to its listed resources
            for (Deny d : denies) {
                if (!d.actions().intersects(eff)) {
                    continue;
                }
                String which = "Deny in " + d.where().statement().label() + " of " + d.where().policy().label();
                if (d.conditional()) {
                    stNotes.add(which + " is conditional (" + conditions(d.where().statement()) + "); not subtracted");
                } else if (covers(d, s)) {
                    eff.andNot(d.actions());
                } else if (d.notResource() && !d.resources().isEmpty() && !Resources.anyUnconstrained(d.resources())) {
                    BitSet c = (BitSet) d.actions().clone();
                    c.and(eff);
                    if (confined == null) {
                        confined = new BitSet(index.size());
                    }
                    confined.or(c);
                    stNotes.add(which + " denies everything but " + d.resources() + "; " + c.cardinality()
                            + " action(s) stay granted on those resources only");
                } else if (d.notResource()) {
                    stNotes.add(which + " uses NotResource; not subtracted");
                } else {
                    stNotes.add(which + " applies to narrower resources " + d.resources() + "; not subtracted");
                }
            }
            if (boundaryAllowed != null) {
                BitSet before = (BitSet) eff.clone();
                eff.and(boundaryAllowed);
                if (!before.equals(eff)) {
                    before.andNot(eff);
                    stNotes.add("permissions boundary " + boundary.name() + " removes " + before.cardinality()
                            + " action(s), e.g. " + index.names(before, 3));
                }
            }
            BitSet unc;
            if (unconstrained) {
                unc = boundaryUnconstrained == null ? eff : (BitSet) eff.clone();
                if (boundaryUnconstrained != null) {
                    unc.and(boundaryUnconstrained);
                }
            } else {
                unc = new BitSet(0);
            }
            if (confined != null && unconstrained) {
                unc = (BitSet) unc.clone();
                unc.andNot(confined);
            }
            granted.or(eff);
            grantedUnc.or(unc);
            if (!s.hasConditions()) {
                grantedUncond.or(eff);
            }
            if (s.hasConditions()) {
                stNotes.add("conditional Allow: " + conditions(s));
            }
            GrantingStatement ref = new GrantingStatement(a.policy(), s, a.logicalLocation(), a.logicalPath(),
                    location(a.policy(), s), unconstrained, s.hasConditions());
            grants.add(new StatementGrant(ref, eff, unc, stNotes));
            notes.addAll(stNotes.stream().filter(x -> x.startsWith("Deny")).toList());
        }
        return new EffectivePermissions(index, identity, grants, all, granted, grantedUnc, grantedUncond,
                List.copyOf(notes), List.copyOf(unresolved), boundaryApplied);
    }

    /**
     * Where a finding on a statement is reported: for an AWS managed policy or a SAM policy template
     * (documents that are not in the user's file), the place in the user's file that attaches it —
     * the {@code ManagedPolicyArns} / SAM {@code Policies} / {@code managedPolicies} /
     * {@code managed_policy_arns} item, the attachment resource — when the input has one; otherwise
     * the statement's own location, else the policy's. Null for live inputs.
     */
    static Location location(Policy p, Statement s) {
        Location attached = p.origin().location();
        if (attached != null && (p.kind() == PolicyKind.AWS_MANAGED || p.kind() == PolicyKind.SAM_TEMPLATE)) {
            return attached;
        }
        Location own = s.origin().location();
        return own != null ? own : attached;
    }

    private static Deny deny(ActionIndex index, Located l) {
        Statement s = l.statement();
        return new Deny(l, actions(index, s), s.hasConditions(), s.notResource(), s.resources(),
                !s.notResource() && Resources.anyUnconstrained(s.resources()));
    }

    /** The actions a statement names: Action patterns, or every action but the NotAction patterns. */
    static BitSet actions(ActionIndex index, Statement s) {
        if (!s.notAction()) {
            if (s.actions().size() == 1) {
                return index.expand(s.actions().get(0)).toBits();
            }
            return index.union(s.actions());
        }
        BitSet b = (BitSet) index.all().clone();
        b.andNot(index.union(s.actions()));
        return b;
    }

    /** An unconditional Deny covers an Allow statement when its resources include all of the Allow's. */
    private static boolean covers(Deny d, Statement allow) {
        if (d.notResource()) {
            return false;
        }
        if (d.unconstrained()) {
            return true;
        }
        if (allow.notResource() || allow.resources().isEmpty()) {
            return false;
        }
        for (String r : allow.resources()) {
            boolean matched = false;
            for (String dr : d.resources()) {
                if (Resources.wildcardMatch(dr, r, false)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    static String conditions(Statement s) {
        List<String> parts = new ArrayList<>();
        for (Condition c : s.conditions()) {
            parts.add(c.operator() + " " + c.key() + " " + c.values());
        }
        return String.join("; ", parts);
    }

    // ------------------------------------------------------------------ queries

    /** "role OrdersRole", or the standalone policy's label. */
    public String identity() {
        return identity;
    }

    public boolean isGranted(String action) {
        int p = index.position(action);
        return p >= 0 && granted.get(p);
    }

    /** The grant of one action, if it is effectively granted. */
    public Optional<Grant> grant(String action) {
        int p = index.position(action);
        if (p < 0 || !granted.get(p)) {
            return Optional.empty();
        }
        return Optional.of(grantAt(p));
    }

    Grant grantAt(int p) {
        List<GrantingStatement> by = new ArrayList<>(2);
        boolean unc = false;
        boolean uncond = false;
        for (StatementGrant g : allows) {
            if (g.effective.get(p)) {
                by.add(g.ref);
                unc |= g.unconstrained.get(p);
                uncond |= !g.ref.conditional();
            }
        }
        return new Grant(index.name(p), by, unc, !uncond);
    }

    /** Every granted action (canonical name → grant), sorted by name. Built on first use. */
    public synchronized Map<String, Grant> grants() {
        if (grants == null) {
            Map<String, Grant> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int p = granted.nextSetBit(0); p >= 0; p = granted.nextSetBit(p + 1)) {
                m.put(index.name(p), grantAt(p));
            }
            grants = Collections.unmodifiableMap(m);
        }
        return grants;
    }

    public int grantedCount() {
        return granted.cardinality();
    }

    /** Granted action counts per access level (an action with two levels counts in both). */
    public Map<AccessLevel, Integer> countsByLevel() {
        Map<AccessLevel, Integer> m = new EnumMap<>(AccessLevel.class);
        for (AccessLevel l : AccessLevel.values()) {
            BitSet b = (BitSet) granted.clone();
            b.and(index.level(l));
            m.put(l, b.cardinality());
        }
        return m;
    }

    /**
     * Admin-equivalent: the grant on unconstrained resources covers at least 90% of all catalog
     * actions, or every IAM action (which lets the identity grant itself anything).
     */
    public boolean adminEquivalent() {
        return adminReason() != null;
    }

    String adminReason() {
        int total = index.size();
        int unc = grantedUnconstrained.cardinality();
        if (total > 0 && unc >= 0.9 * total) {
            return unc + " of " + total + " actions (" + (unc * 100L / total) + "%) on unconstrained resources";
        }
        BitSet iam = index.expand("iam:*").toBits();
        if (!iam.isEmpty()) {
            BitSet missing = (BitSet) iam.clone();
            missing.andNot(grantedUnconstrained);
            if (missing.isEmpty()) {
                return "every iam action on unconstrained resources (" + iam.cardinality()
                        + " actions; IAM lets the identity grant itself anything)";
            }
        }
        return null;
    }

    /** Notes about the computation: conditional or partial Denies, unresolved policies, boundary. */
    public List<String> notes() {
        return notes;
    }

    /** Policies (and boundary) that could not be resolved and so are not part of the result. */
    public List<Policy> unresolvedPolicies() {
        return unresolved;
    }

    public boolean boundaryApplied() {
        return boundaryApplied;
    }

    // package-private views for the checks
    List<StatementGrant> statementGrants() {
        return allows;
    }

    List<Located> statements() {
        return statements;
    }

    BitSet grantedBits() {
        return granted;
    }

    BitSet unconstrainedBits() {
        return grantedUnconstrained;
    }

    BitSet unconditionalBits() {
        return grantedUnconditional;
    }

    ActionIndex index() {
        return index;
    }
}
