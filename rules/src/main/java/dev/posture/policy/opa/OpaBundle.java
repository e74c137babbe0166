package dev.posture.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An OPA bundle (a gzipped tar, as {@code opa build} writes it) of policy modules, for OPA's bundle service or
 * {@code opa run --server --bundle}: {@code /.manifest} with the package {@code roots}, a {@code revision}
 * (posture's version and a hash of the content) and each file's Rego version ({@code rego_version: 1}, v0 files
 * listed in {@code file_rego_versions}, so a server needs no {@code --v0-compatible}), every module at
 * {@code /<module name>}, and {@code /data.json}. Written byte for byte the same for the same content.
 */
public final class OpaBundle {
    /** 2020-01-01T00:00:00Z: fixed entry times, so that equal content gives equal bytes. */
    private static final long MTIME = 1577836800000L;

    private OpaBundle() {
    }

    /** What was written. */
    public record Manifest(String revision, List<String> roots, List<String> files, Map<String, Integer> v0Files) {
    }

    /**
     * @param data    the bundle's {@code data.json} (an object; null for {@code {}}); its top-level keys become roots
     * @param version posture's version, the revision's first part
     */
    public static Manifest write(List<PolicyModule> modules, JsonNode data, String version, OutputStream out)
            throws PolicyException, IOException {
        Map<String, String> files = new TreeMap<>();
        for (PolicyModule m : modules) {
            String path = "/" + OpaPolicyEngine.id(m.name()).substring(OpaPolicyEngine.ID_PREFIX.length());
            if (files.put(path, m.source()) != null) {
                throw new PolicyException("two modules would be written to " + path + " in the bundle");
            }
        }
        TreeSet<String> roots = new TreeSet<>();
        Map<String, Integer> v0 = new TreeMap<>();
        for (PolicyModule m : modules) {
            String pkg = OpaPolicyEngine.packageOf(m.source());
            if (pkg == null) {
                throw new PolicyException(m.name() + ": no package line");
            }
            // posture's own packages are rooted one level deeper (posture/kubernetes, posture/image, posture/lib):
            // the scan writes data.posture.inventory, which a bundle root "posture" would own and OPA refuse
            String[] segs = pkg.split("\\.");
            roots.add(segs[0].equals("posture") && segs.length > 1 ? segs[0] + "/" + segs[1] : segs[0]);
            if (OpaPolicyEngine.isV0(m)) {
                v0.put("/" + OpaPolicyEngine.id(m.name()).substring(OpaPolicyEngine.ID_PREFIX.length()), 0);
            }
        }
        ObjectNode dataJson = data == null ? OpaClient.JSON.createObjectNode() : (ObjectNode) data.deepCopy();
        dataJson.fieldNames().forEachRemaining(roots::add);
        List<String> rootList = nonOverlapping(roots);

        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(f.getValue().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        byte[] dataBytes = OpaClient.JSON.writeValueAsBytes(dataJson);
        sha.update(dataBytes);
        String revision = version + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);

        ObjectNode manifest = OpaClient.JSON.createObjectNode();
        manifest.put("revision", revision);
        ArrayNode r = manifest.putArray("roots");
        rootList.forEach(r::add);
        manifest.put("rego_version", 1);
        if (!v0.isEmpty()) {
            ObjectNode fv = manifest.putObject("file_rego_versions");
            v0.forEach(fv::put);
        }
        manifest.putObject("metadata").put("generator", "posture " + version);

        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, "/.manifest", OpaClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            entry(tar, "/data.json", dataBytes);
            for (Map.Entry<String, String> f : files.entrySet()) {
                entry(tar, f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8));
            }
            tar.finish();
        }
        return new Manifest(revision, rootList, new ArrayList<>(files.keySet()), v0);
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(bytes.length);
        e.setMode(0644);
        e.setModTime(MTIME);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** Roots one of which is a prefix of another (path-wise) keep the shorter. */
    private static List<String> nonOverlapping(TreeSet<String> roots) {
        List<String> out = new ArrayList<>();
        for (String s : roots.stream().sorted(Comparator.comparingInt(String::length).thenComparing(x -> x)).toList()) {
            boolean covered = out.stream().anyMatch(o -> s.equals(o) || s.startsWith(o + "/"));
            if (!covered) {
                out.add(s);
            }
        }
        out.sort(null);
        return out;
    }
}
