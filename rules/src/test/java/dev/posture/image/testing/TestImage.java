package dev.posture.image.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.ImageInspector;
import dev.posture.image.ImageLimits;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.source.ImageException;
import dev.posture.image.source.ImageManifest;
import dev.posture.image.source.LayerDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An image for tests: layers (as stored, and their tars for diff_ids), a config with a history step per layer, and
 * a manifest with digests (registry/OCI style) or without (legacy {@code docker save} style); inspected through a
 * {@link MemorySource}.
 */
public final class TestImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Wrap { PLAIN, GZIP, ZSTD }

    private final List<byte[]> stored = new ArrayList<>();
    private final List<byte[]> tars = new ArrayList<>();
    private final ObjectNode config = JSON.createObjectNode();
    private final Map<String, byte[]> extraBlobs = new LinkedHashMap<>();
    private final List<String> repoTags = new ArrayList<>();
    private boolean legacy;
    private boolean concurrent;
    private boolean reversed;
    private UnaryOperator<ImageManifest> tamper = UnaryOperator.identity();

    public TestImage() {
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("created", "2021-03-01T00:00:00Z");
        config.putObject("config");
        config.putArray("history");
    }

    public TestImage layer(TestLayers layer, Wrap wrap) {
        byte[] tar = layer.tar();
        return layer(tar, switch (wrap) {
            case PLAIN -> tar;
            case GZIP -> TestLayers.gzip(tar);
            case ZSTD -> TestLayers.zstd(tar);
        });
    }

    public TestImage layer(TestLayers layer) {
        return layer(layer, Wrap.GZIP);
    }

    /** A layer given as stored, with the tar its diff_id is computed from. */
    public TestImage layer(byte[] tar, byte[] asStored) {
        tars.add(tar);
        stored.add(asStored);
        ((ArrayNode) config.get("history")).addObject().put("created", "2021-03-01T00:00:00Z")
                .put("created_by", "/bin/sh -c #(nop) ADD file:" + tars.size() + " in / ");
        return this;
    }

    /** Changes the config's {@code config} section. */
    public TestImage config(Consumer<ObjectNode> change) {
        change.accept((ObjectNode) config.get("config"));
        return this;
    }

    /** Changes the whole config document. */
    public TestImage root(Consumer<ObjectNode> change) {
        change.accept(config);
        return this;
    }

    /** Keys like {@code <hex>/layer.tar} and no digests: verified by diff_id only. */
    public TestImage legacy() {
        legacy = true;
        return this;
    }

    public TestImage concurrent() {
        concurrent = true;
        return this;
    }

    /** Delivers the blobs top layer first. */
    public TestImage reversed() {
        reversed = true;
        return this;
    }

    public TestImage extraBlob(String key, byte[] content) {
        extraBlobs.put(key, content);
        return this;
    }

    public TestImage repoTag(String tag) {
        repoTags.add(tag);
        return this;
    }

    /** Changes the manifest the source returns (a wrong digest, a missing layer). */
    public TestImage tamper(UnaryOperator<ImageManifest> change) {
        tamper = change;
        return this;
    }

    public byte[] configBytes() {
        ObjectNode c = config.deepCopy();
        if (!c.has("rootfs")) {
            ArrayNode diffIds = c.putObject("rootfs").put("type", "layers").putArray("diff_ids");
            tars.forEach(t -> diffIds.add(TestLayers.sha256(t)));
        }
        try {
            return JSON.writeValueAsBytes(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MemorySource source() {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        List<LayerDescriptor> layers = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            String digest = TestLayers.sha256(stored.get(i));
            String key = legacy ? TestLayers.sha256(tars.get(i)).substring(7) + "/layer.tar" : digest;
            layers.add(new LayerDescriptor(key, legacy ? null : digest, stored.get(i).length,
                    legacy ? null : "application/vnd.oci.image.layer.v1.tar+gzip"));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            order.add(reversed ? stored.size() - 1 - i : i);
        }
        blobs.putAll(extraBlobs);
        for (int i : order) {
            blobs.put(layers.get(i).key(), stored.get(i));
        }
        byte[] configBytes = configBytes();
        ImageManifest manifest = new ImageManifest(legacy ? null : "sha256:" + "ab".repeat(32),
                legacy ? null : "application/vnd.oci.image.manifest.v1+json", configBytes,
                legacy ? null : TestLayers.sha256(configBytes), layers, repoTags);
        return new MemorySource(blobs, tamper.apply(manifest), concurrent);
    }

    public ImageFacts inspect() throws ImageException {
        return inspect(ImageLimits.DEFAULT);
    }

    public ImageFacts inspect(ImageLimits limits) throws ImageException {
        return new ImageInspector(limits, 2).inspect("test/image:1.0", null, source());
    }
}
