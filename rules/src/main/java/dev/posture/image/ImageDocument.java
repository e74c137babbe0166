package dev.posture.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.image.facts.Accounts;
import dev.posture.image.facts.FileFacts;
import dev.posture.image.facts.HistoryEntry;
import dev.posture.image.facts.ImageConfig;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.facts.LayerFacts;
import dev.posture.image.facts.OsPackage;
import dev.posture.image.source.ImageReference;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * The image policies' {@code input}: {@link ImageFacts} written as the JSON document of docs/policies.md. Every
 * field is always present (null when unknown, [] when empty), so policies never trip over a missing key.
 */
public final class ImageDocument {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> INSTRUCTIONS = Set.of("RUN", "ADD", "COPY", "ENV", "EXPOSE", "USER", "WORKDIR",
            "CMD", "ENTRYPOINT", "LABEL", "HEALTHCHECK", "ARG", "VOLUME", "ONBUILD", "STOPSIGNAL", "SHELL",
            "MAINTAINER", "FROM");
    private static final String SHELL = "/bin/sh -c ";

    private ImageDocument() {
    }

    /** @param now the scan's clock, for {@code age_days} */
    public static ObjectNode of(ImageFacts f, Instant now) {
        ObjectNode d = F.objectNode();
        d.put("name", f.name());
        d.put("source", f.source());
        d.set("reference", reference(f.reference()));
        d.put("digest", f.manifestDigest());
        d.put("config_digest", f.configDigest());
        d.put("created", f.created() == null ? null : f.created().toString());
        if (f.created() == null) {
            d.putNull("age_days");
        } else {
            d.put("age_days", Math.max(0, Duration.between(f.created(), now).toDays()));
        }
        d.put("size", f.size());
        ImageConfig c = f.config();
        ObjectNode platform = d.putObject("platform");
        platform.put("os", c.os());
        platform.put("architecture", c.architecture());
        platform.put("variant", c.variant());
        d.set("config", config(c));
        ArrayNode history = d.putArray("history");
        for (HistoryEntry h : f.history()) {
            history.add(history(h));
        }
        ArrayNode layers = d.putArray("layers");
        for (LayerFacts l : f.layers()) {
            ObjectNode o = layers.addObject();
            o.put("index", l.index());
            o.put("digest", l.digest());
            o.put("diff_id", l.diffId());
            o.put("size", l.size());
            o.put("uncompressed_size", l.uncompressedSize());
            o.put("media_type", l.mediaType());
            o.put("compression", l.compression());
            o.put("entries", l.entries());
            o.put("created_by", l.createdBy());
        }
        if (f.os() == null) {
            d.putNull("os");
        } else {
            ObjectNode os = d.putObject("os");
            os.put("id", f.os().id());
            os.put("id_like", f.os().idLike());
            os.put("version_id", f.os().versionId());
            os.put("version_codename", f.os().versionCodename());
            os.put("pretty_name", f.os().prettyName());
        }
        d.set("accounts", accounts(f.accounts() == null ? Accounts.NONE : f.accounts()));
        ArrayNode packages = d.putArray("packages");
        for (OsPackage p : f.packages()) {
            ObjectNode o = packages.addObject();
            o.put("manager", p.manager());
            o.put("name", p.name());
            o.put("version", p.version());
            o.put("architecture", p.architecture());
            o.put("source", p.sourceName());
            o.put("source_version", p.sourceVersion());
        }
        d.set("files", files(f.files()));
        return d;
    }

    private static ObjectNode reference(ImageReference r) {
        if (r == null) {
            return null;
        }
        ObjectNode o = F.objectNode();
        o.put("registry", r.registry());
        o.put("repository", r.repository());
        o.put("tag", r.tag());
        o.put("digest", r.digest());
        return o;
    }

    private static ObjectNode config(ImageConfig c) {
        ObjectNode o = F.objectNode();
        o.put("user", c.user() == null ? "" : c.user());
        ArrayNode env = o.putArray("env");
        for (ImageConfig.EnvVar e : c.env()) {
            env.addObject().put("name", e.name()).put("value", e.value());
        }
        ArrayNode ports = o.putArray("exposed_ports");
        for (String p : c.exposedPorts()) {
            ports.add(port(p));
        }
        ArrayNode volumes = o.putArray("volumes");
        c.volumes().forEach(volumes::add);
        if (c.healthcheck() == null) {
            o.putNull("healthcheck");
        } else {
            ArrayNode hc = o.putArray("healthcheck");
            c.healthcheck().forEach(hc::add);
        }
        o.put("healthcheck_disabled", c.healthcheckDisabled());
        ObjectNode labels = o.putObject("labels");
        new TreeMap<>(c.labels()).forEach(labels::put);
        ArrayNode ep = o.putArray("entrypoint");
        c.entrypoint().forEach(ep::add);
        ArrayNode cmd = o.putArray("cmd");
        c.cmd().forEach(cmd::add);
        o.put("working_dir", c.workingDir() == null ? "" : c.workingDir());
        return o;
    }

    /** "22/tcp" → {port: 22, protocol: tcp}; a range or garbage keeps port null. */
    static ObjectNode port(String spec) {
        ObjectNode o = F.objectNode();
        String s = spec.trim();
        int slash = s.indexOf('/');
        String num = slash < 0 ? s : s.substring(0, slash);
        String proto = slash < 0 ? "tcp" : s.substring(slash + 1).toLowerCase(Locale.ROOT);
        try {
            o.put("port", Integer.parseInt(num));
        } catch (NumberFormatException e) {
            o.putNull("port");
        }
        o.put("protocol", proto.isEmpty() ? "tcp" : proto);
        o.put("spec", spec);
        return o;
    }

    private static ObjectNode history(HistoryEntry h) {
        ObjectNode o = F.objectNode();
        o.put("index", h.index());
        o.put("created", h.created());
        String by = h.createdBy() == null ? "" : h.createdBy();
        o.put("created_by", by);
        Step step = step(by);
        o.put("instruction", step.instruction());
        o.put("command", step.command());
        o.put("empty_layer", h.emptyLayer());
        if (h.layer() == null) {
            o.putNull("layer");
        } else {
            o.put("layer", h.layer());
        }
        return o;
    }

    /** A build step split into its Dockerfile instruction (null when unknown) and the rest. */
    record Step(String instruction, String command) {
    }

    /**
     * Splits the shapes builders write: legacy {@code /bin/sh -c #(nop)  EXPOSE 22} and {@code /bin/sh -c apt-get
     * update} (a RUN), with or without build args ({@code |2 A=1 B=2 /bin/sh -c …}); BuildKit's {@code RUN /bin/sh
     * -c … # buildkit}, {@code COPY app /app # buildkit}; kaniko's and buildah's {@code RUN …}. Anything else (Jib
     * writes "jib-maven-plugin:3.4.0") has no instruction.
     */
    static Step step(String createdBy) {
        String s = createdBy.strip();
        if (s.endsWith("# buildkit")) {
            s = s.substring(0, s.length() - "# buildkit".length()).strip();
        }
        if (s.startsWith(SHELL + "#(nop)")) {
            String rest = s.substring((SHELL + "#(nop)").length()).strip();
            return split(rest, null);
        }
        int sh = s.indexOf(SHELL);
        if (sh >= 0 && (sh == 0 || s.startsWith("|"))) {
            return new Step("RUN", s.substring(sh + SHELL.length()).strip());
        }
        return split(s, s);
    }

    private static Step split(String s, String unknown) {
        int sp = s.indexOf(' ');
        String word = (sp < 0 ? s : s.substring(0, sp)).toUpperCase(Locale.ROOT);
        if (!INSTRUCTIONS.contains(word)) {
            return new Step(null, unknown == null ? s : unknown);
        }
        String rest = sp < 0 ? "" : s.substring(sp + 1).strip();
        if (word.equals("RUN")) {
            int sh = rest.indexOf(SHELL);
            if (sh >= 0 && (sh == 0 || rest.startsWith("|"))) {
                rest = rest.substring(sh + SHELL.length()).strip();
            }
        }
        return new Step(word, rest);
    }

    private static ObjectNode accounts(Accounts a) {
        ObjectNode o = F.objectNode();
        ArrayNode users = o.putArray("users");
        for (Accounts.User u : a.users()) {
            users.addObject().put("name", u.name()).put("uid", u.uid()).put("gid", u.gid()).put("home", u.home())
                    .put("shell", u.shell()).put("password", u.password());
        }
        ArrayNode groups = o.putArray("groups");
        for (Accounts.Group g : a.groups()) {
            ObjectNode go = groups.addObject().put("name", g.name()).put("gid", g.gid());
            ArrayNode m = go.putArray("members");
            g.members().forEach(m::add);
        }
        return o;
    }

    private static ObjectNode files(FileFacts f) {
        ObjectNode o = F.objectNode();
        o.put("count", f.count());
        o.put("bytes", f.bytes());
        ArrayNode setuid = o.putArray("setuid");
        for (FileFacts.FileEntry e : f.setuid()) {
            setuid.addObject().put("path", e.path()).put("permissions", octal(e.mode())).put("mode", e.mode())
                    .put("setuid", (e.mode() & 04000) != 0).put("setgid", (e.mode() & 02000) != 0)
                    .put("uid", e.uid()).put("gid", e.gid()).put("layer", e.layer());
        }
        o.put("setuid_count", f.setuidCount());
        ArrayNode ww = o.putArray("world_writable");
        for (FileFacts.FileEntry e : f.worldWritable()) {
            ww.addObject().put("path", e.path()).put("type", e.type()).put("permissions", octal(e.mode()))
                    .put("mode", e.mode()).put("sticky", (e.mode() & 01000) != 0).put("layer", e.layer());
        }
        o.put("world_writable_count", f.worldWritableCount());
        o.set("secrets", secrets(f.secrets(), false));
        o.set("deleted_secrets", secrets(f.deletedSecrets(), true));
        ArrayNode un = o.putArray("unnecessary");
        f.unnecessary().forEach(un::add);
        ArrayNode tools = o.putArray("tools");
        f.tools().forEach(tools::add);
        ArrayNode caches = o.putArray("package_caches");
        for (FileFacts.PackageCache c : f.packageCaches()) {
            caches.addObject().put("manager", c.manager()).put("path", c.path()).put("files", c.files())
                    .put("bytes", c.bytes());
        }
        return o;
    }

    private static ArrayNode secrets(List<FileFacts.SecretFile> list, boolean deleted) {
        ArrayNode a = F.arrayNode();
        for (FileFacts.SecretFile s : list) {
            ObjectNode o = a.addObject().put("path", s.path()).put("kind", s.kind()).put("layer", s.layer());
            if (deleted) {
                if (s.deletedIn() == null) {
                    o.putNull("deleted_in");
                } else {
                    o.put("deleted_in", s.deletedIn());
                }
            }
            o.put("evidence", s.evidence());
        }
        return a;
    }

    static String octal(int mode) {
        String s = Integer.toOctalString(mode & 07777);
        return "0000".substring(Math.min(4, s.length())) + s;
    }
}
