package dev.posture.vuln;

import dev.posture.vuln.osv.AffectedRanges;
import dev.posture.vuln.osv.Ecosystems;
import dev.posture.vuln.osv.OsvDatabase;
import dev.posture.vuln.version.InvalidVersionException;
import dev.posture.vuln.version.VersionScheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Packages × an {@link OsvDatabase}: which installed versions the records say are affected. */
public final class VulnMatcher {
    private final OsvDatabase db;

    public VulnMatcher(OsvDatabase db) {
        this.db = db;
    }

    /**
     * One package to judge.
     *
     * @param ecosystem the target's OSV ecosystem ("Debian:12", "npm")
     * @param name      the name records key on (Debian: the source package)
     * @param version   the installed version (Debian: the source version)
     * @param location  where it was found (the dpkg database, a jar's path in the image)
     */
    public record Package(String ecosystem, String name, String version, String location) {
    }

    /** One vulnerability of one package. */
    public record Match(Package pkg, String id, List<String> aliases, String summary, String fixed,
                        VulnSeverity.Rated severity) {
        public Match {
            aliases = List.copyOf(aliases);
        }
    }

    /**
     * The matches for {@code packages}, one per (package, record) pair, in package order. A version the
     * ecosystem's grammar rejects is warned about (naming the package) and that package is skipped.
     */
    public List<Match> match(List<Package> packages, Consumer<String> warn) {
        List<Match> out = new ArrayList<>();
        for (Package p : packages) {
            VersionScheme scheme = Ecosystems.scheme(p.ecosystem());
            if (scheme == null) {
                continue;
            }
            VersionScheme.ParsedVersion v;
            try {
                v = scheme.parse(p.version());
            } catch (InvalidVersionException e) {
                warn.accept(p.name() + " (" + p.location() + "): " + e.getMessage() + "; not matched");
                continue;
            }
            Map<String, Match> byId = new LinkedHashMap<>();
            for (OsvDatabase.Entry e : db.entries(Ecosystems.base(p.ecosystem()), p.name())) {
                if (!Ecosystems.applies(e.affected().ecosystem(), p.ecosystem()) || byId.containsKey(e.record().id())) {
                    continue;
                }
                AffectedRanges.Verdict verdict = AffectedRanges.judge(e.affected(), scheme, v, e.record().id(), warn);
                if (verdict.affected()) {
                    byId.put(e.record().id(), new Match(p, e.record().id(), e.record().aliases(), e.record().summary(),
                            verdict.fixed(), VulnSeverity.of(e.record(), e.affected())));
                }
            }
            out.addAll(byId.values());
        }
        return out;
    }
}
