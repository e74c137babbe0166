package dev.posture.image;

import dev.posture.image.facts.Accounts;
import dev.posture.image.facts.ConfigReader;
import dev.posture.image.facts.FileFacts;
import dev.posture.image.facts.FileFactsCollector;
import dev.posture.image.facts.HistoryEntry;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.LayerFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.facts.OsRelease;
import dev.posture.image.facts.SecretDetector;
import dev.posture.image.facts.SystemFiles;
import dev.posture.image.layer.BlobCollector;
import dev.posture.image.layer.CapturedFiles;
import dev.posture.image.layer.Compression;
import dev.posture.image.layer.FileSystemView;
import dev.posture.image.layer.LayerIndex;
import dev.posture.image.layer.LayerReader;
import dev.posture.image.layer.ReadBudget;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.ImageReference;
import dev.posture.image.source.ImageSource;
import dev.posture.image.source.LayerDescriptor;
import dev.posture.model.Redaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads one image in one streaming pass: every layer blob from the source is decompressed (gzip, zstd or none, by
 * magic bytes) and walked as a tar once, its digest verified, and reduced to a per-layer index; the indexes are
 * then merged bottom-up with whiteouts applied into the final view, from which the {@link ImageFacts} are taken.
 * Nothing is extracted to disk. Thread-safe; layers of one image may be read on several threads.
 */
public final class ImageInspector {
    private final ImageLimits limits;
    /*
     * Not used by the pass: each blob is decoded on the thread the source delivers it on, so how many layers are
     * read at once is the source's choice (a registry fetches in parallel, an archive cannot). Holding a source's
     * threads back would let its open HTTP responses time out; splitting one stream over two threads would buy
     * little (the pass costs 1.25x what inflating alone does). Kept for the contract.
     */
    @SuppressWarnings("unused")
    private final int parallelism;

    private final boolean appPackages;

    public ImageInspector(ImageLimits limits, int parallelism) {
        this(limits, parallelism, false);
    }

    /** @param appPackages also inventory application dependencies (for vulnerability matching and the SBOM) */
    public ImageInspector(ImageLimits limits, int parallelism, boolean appPackages) {
        this.limits = limits;
        this.parallelism = Math.max(1, parallelism);
        this.appPackages = appPackages;
    }

    /**
     * @param name      the image as the user named it (for messages and {@link ImageFacts#name()})
     * @param reference the reference given, or null (archives: the first RepoTags entry is used when present)
     * @throws ImageException naming the image: a digest mismatch, a missing blob, a layer over a limit, a corrupt or
     *                        hostile archive
     */
    public ImageFacts inspect(String name, ImageReference reference, ImageSource source) throws ImageException {
        BlobCollector blobs = new BlobCollector(new LayerReader(new ReadBudget(limits), new SecretDetector(), appPackages));
        ImageManifest manifest = read(name, source, blobs);
        List<String> warnings = new ArrayList<>();

        String configDigest = sha256(manifest.config());
        if (manifest.configDigest() != null && verifiable(manifest.configDigest(), "the config", warnings)
                && !same(configDigest, manifest.configDigest())) {
            throw new ImageException(name + ": the config's sha256 is " + configDigest + ", not "
                    + manifest.configDigest() + " as the manifest says (corrupt or tampered)");
        }
        List<LayerDescriptor> descriptors = manifest.layers();
        ConfigReader.ParsedConfig config;
        try {
            config = ConfigReader.parse(manifest.config(), descriptors.size());
        } catch (IOException e) {
            throw new ImageException(name + ": the image config is not valid JSON (" + oneLine(e) + ")");
        }
        warnings.addAll(config.warnings());
        List<String> diffIds = config.diffIds();
        if (diffIds == null) {
            warnings.add("the config has no rootfs.diff_ids");
        } else if (diffIds.size() != descriptors.size()) {
            throw new ImageException(name + ": the manifest lists " + descriptors.size() + " layer(s) but the config's"
                    + " rootfs.diff_ids lists " + diffIds.size());
        }

        List<LayerIndex> layers = layers(name, descriptors, diffIds, blobs, warnings);
        FileSystemView view = new FileSystemView();
        for (int i = 0; i < layers.size(); i++) {
            view.apply(i, layers.get(i), warnings);
        }
        SystemFiles system = new SystemFiles(new CapturedFiles(view, layers, warnings), warnings);
        OsRelease os;
        Accounts accounts;
        List<OsPackage> packages;
        try {
            os = system.os();
            accounts = system.accounts();
            packages = system.packages();
        } catch (FileSystemView.LinkLoopException e) {
            throw new ImageException(name + ": " + e.getMessage());
        }
        FileFacts files = new FileFactsCollector(view, layers).collect();
        return new ImageFacts(name, source.kind(), reference(reference, manifest, warnings), manifest.manifestDigest(),
                configDigest, config.created(), config.config(), config.history(),
                layerFacts(descriptors, layers, diffIds, config.history()), os, accounts, packages, files, warnings,
                appPackages(view, layers));
    }

    /** Dependencies of files still in the final view as the layer that read them wrote them, by path. */
    private static List<dev.posture.vuln.apps.AppPackage> appPackages(FileSystemView view, List<LayerIndex> layers) {
        java.util.TreeMap<String, List<dev.posture.vuln.apps.AppPackage>> byPath = new java.util.TreeMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (var e : layers.get(i).packages().entrySet()) {
                FileSystemView.Node node = view.get(e.getKey());
                if (node != null && node.layer() == i) {
                    byPath.put(e.getKey(), e.getValue());
                }
            }
        }
        List<dev.posture.vuln.apps.AppPackage> out = new ArrayList<>();
        byPath.values().forEach(out::addAll);
        return out;
    }

    private static ImageManifest read(String name, ImageSource source, BlobCollector blobs) throws ImageException {
        ImageManifest manifest;
        try {
            manifest = source.read(blobs);
        } catch (IOException | UncheckedIOException e) {
            throw new ImageException(name + ": cannot read the image: " + oneLine(e), e);
        }
        if (manifest == null || manifest.config() == null) {
            throw new ImageException(name + ": " + source.describe() + " gave no image config");
        }
        return manifest;
    }

    private static final java.util.regex.Pattern DIGEST_NAME =
            java.util.regex.Pattern.compile("(?:.*/)?([0-9a-f]{64})(?:\\.tar(?:\\.gz|\\.zst)?)?");

    /**
     * Jib's and podman's archives name a layer file by its own sha256 ({@code <hex>.tar.gz}, {@code <hex>.tar}):
     * when the bytes hash to that name, the layer is what it claims to be.
     */
    static boolean namedByItsDigest(String key, String digest) {
        java.util.regex.Matcher m = DIGEST_NAME.matcher(key);
        return m.matches() && digest != null && digest.equals("sha256:" + m.group(1));
    }

    /** The listed layers' indexes, in order, each delivered, readable and verified. */
    private static List<LayerIndex> layers(String name, List<LayerDescriptor> descriptors, List<String> diffIds,
                                           BlobCollector blobs, List<String> warnings) throws ImageException {
        List<LayerIndex> out = new ArrayList<>();
        for (int i = 0; i < descriptors.size(); i++) {
            LayerDescriptor d = descriptors.get(i);
            LayerIndex index = blobs.get(d.key());
            String label = "layer " + i + " (" + shortKey(d.digest() != null ? d.digest() : d.key()) + ")";
            if (index == null) {
                throw new ImageException(name + ": the manifest lists " + label
                        + " but the source delivered no such blob");
            }
            if (index.failure() != null) {
                throw new ImageException(name + ": " + label + " " + index.failure());
            }
            String diffId = diffIds == null ? null : diffIds.get(i);
            if (d.digest() != null) {
                if (verifiable(d.digest(), "layer " + i, warnings) && !same(index.digest(), d.digest())) {
                    throw new ImageException(name + ": " + label + " has sha256 " + index.digest()
                            + ", not the digest the manifest lists (corrupt or tampered)");
                }
            } else if (index.compression() != Compression.NONE && !namedByItsDigest(d.key(), index.digest())) {
                warnings.add("layer " + i + ": " + index.compression().label()
                        + "-compressed and no digest was promised for it: not verified");
            }
            // an uncompressed layer's digest is its diff_id
            if (index.compression() == Compression.NONE && diffId != null
                    && verifiable(diffId, "layer " + i + "'s diff_id", warnings) && !same(index.digest(), diffId)) {
                throw new ImageException(name + ": " + label + " has sha256 " + index.digest() + ", not its diff_id "
                        + diffId + " from the config (corrupt or tampered)");
            }
            if (d.size() >= 0 && d.size() != index.size()) {
                warnings.add("layer " + i + ": the manifest says " + d.size() + " bytes, the blob has "
                        + index.size());
            }
            for (String note : index.notes()) {
                warnings.add("layer " + i + ": " + note);
            }
            out.add(index);
        }
        return out;
    }

    private static List<LayerFacts> layerFacts(List<LayerDescriptor> descriptors, List<LayerIndex> layers,
                                               List<String> diffIds, List<HistoryEntry> history) {
        String[] createdBy = new String[layers.size()];
        for (HistoryEntry h : history) {
            if (h.layer() != null && h.layer() < createdBy.length) {
                createdBy[h.layer()] = h.createdBy();
            }
        }
        List<LayerFacts> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerIndex l = layers.get(i);
            out.add(new LayerFacts(i, l.digest(), diffIds == null ? null : diffIds.get(i), l.size(),
                    l.uncompressedSize(), descriptors.get(i).mediaType(), l.compression().label(), l.entryCount(),
                    createdBy[i]));
        }
        return out;
    }

    private static final java.util.regex.Pattern BARE_TAG = java.util.regex.Pattern.compile("[\\w][\\w.-]{0,127}");

    private static ImageReference reference(ImageReference given, ImageManifest manifest, List<String> warnings) {
        if (given != null || manifest.repoTags().isEmpty()) {
            return given;
        }
        String tag = manifest.repoTags().get(0);
        if (BARE_TAG.matcher(tag).matches()) {
            // an OCI layout's org.opencontainers.image.ref.name is usually just a tag ("1.0"): no repository known
            return new ImageReference(null, null, tag, null);
        }
        try {
            return ImageReference.parse(tag);
        } catch (IllegalArgumentException e) {
            warnings.add("RepoTags entry '" + tag + "' is not an image reference: " + e.getMessage());
            return null;
        }
    }

    /** Only sha256 is computed while reading; another algorithm is noted, not failed. */
    private static boolean verifiable(String digest, String what, List<String> warnings) {
        if (digest.toLowerCase(Locale.ROOT).startsWith("sha256:")) {
            return true;
        }
        warnings.add(what + ": digest " + shortKey(digest) + " not verified (only sha256 is supported)");
        return false;
    }

    private static boolean same(String computed, String promised) {
        return computed.equalsIgnoreCase(promised.trim());
    }

    private static String shortKey(String key) {
        return key.startsWith("sha256:") && key.length() > 19 ? key.substring(0, 19) : key.length() > 80
                ? key.substring(0, 80) + "…" : key;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Redaction.redact(m.replaceAll("\\s+", " ").trim());
    }
}
