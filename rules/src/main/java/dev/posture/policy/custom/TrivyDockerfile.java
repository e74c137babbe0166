package dev.posture.policy.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The input Trivy's {@code dockerfile} checks get when Trivy scans an image's configuration: a Dockerfile
 * reconstructed from the image, parsed into {@code {"Stages":[{"Name":"","Commands":[…]}]}}. Each command is
 * {@code {"Cmd":"run","Value":["apt-get update"],"Original":"RUN apt-get update","Flags":[],"JSON":false,
 * "SubCmd":"","Stage":0,"Path":"Dockerfile","StartLine":n,"EndLine":n}}.
 *
 * <p>As Trivy does: the build steps of the image's history after its base image (the base ends at the last empty
 * {@code CMD} step before the image's own trailing empty steps), one line each, and a final {@code USER} line when
 * the config sets a user. Unlike Trivy, an image with no history at all (Jib, some distroless builds) gets its
 * lines from the config instead ({@code ENV}, {@code EXPOSE}, {@code WORKDIR}, {@code HEALTHCHECK},
 * {@code ENTRYPOINT}, {@code CMD}), so checks still see them.
 *
 * @param input the checks' input
 * @param keys  per line (index = StartLine − 1) what it stems from: {@code history[3]}, {@code config.User}…
 */
public record TrivyDockerfile(ObjectNode input, List<String> keys) {
    private static final Pattern COPY_IN = Pattern.compile("\\b((?:file|dir):\\S+) in ");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** From posture's image document ({@code dev.posture.image.ImageDocument}: {@code history}, {@code config}). */
    public static TrivyDockerfile of(JsonNode image) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode in = f.objectNode();
        ObjectNode stage = in.putArray("Stages").addObject();
        stage.put("Name", "");
        ArrayNode cmds = stage.putArray("Commands");
        List<String> keys = new ArrayList<>();
        JsonNode history = image.path("history");
        JsonNode config = image.path("config");
        if (history.isArray() && !history.isEmpty()) {
            for (int i = baseIndex(history) + 1; i < history.size(); i++) {
                JsonNode h = history.get(i);
                String instruction = h.path("instruction").asText("").toUpperCase(Locale.ROOT);
                String command = h.path("command").asText("").strip();
                if (instruction.isEmpty() || instruction.equals("FROM") || instruction.equals("MAINTAINER")) {
                    continue;
                }
                if (instruction.equals("HEALTHCHECK")) {
                    command = healthcheck(config);
                } else if (instruction.equals("ADD") || instruction.equals("COPY")) {
                    command = COPY_IN.matcher(command).replaceAll("$1 ");
                }
                add(cmds, keys, instruction, command, "history[" + i + "]");
            }
        } else {
            for (JsonNode e : config.path("env")) {
                add(cmds, keys, "ENV", e.path("name").asText() + "=" + e.path("value").asText(""), "config.Env."
                        + e.path("name").asText());
            }
            for (JsonNode p : config.path("exposed_ports")) {
                add(cmds, keys, "EXPOSE", p.path("spec").asText(), "config.ExposedPorts." + p.path("spec").asText());
            }
            if (!config.path("working_dir").asText("").isEmpty()) {
                add(cmds, keys, "WORKDIR", config.get("working_dir").asText(), "config.WorkingDir");
            }
            if (config.path("healthcheck").isArray() || config.path("healthcheck_disabled").asBoolean(false)) {
                add(cmds, keys, "HEALTHCHECK", healthcheck(config), "config.Healthcheck");
            }
            if (config.path("entrypoint").isArray() && !config.get("entrypoint").isEmpty()) {
                add(cmds, keys, "ENTRYPOINT", config.get("entrypoint").toString(), "config.Entrypoint");
            }
            if (config.path("cmd").isArray() && !config.get("cmd").isEmpty()) {
                add(cmds, keys, "CMD", config.get("cmd").toString(), "config.Cmd");
            }
        }
        String user = config.path("user").asText("");
        if (!user.isEmpty()) {
            add(cmds, keys, "USER", user, "config.User");
        }
        return new TrivyDockerfile(in, List.copyOf(keys));
    }

    /**
     * The index of the last history step of the base image, or −1: going up from the end, past the image's own
     * trailing empty steps ({@code ENTRYPOINT}, {@code CMD}), the first empty {@code CMD} step is the base image's.
     */
    static int baseIndex(JsonNode history) {
        boolean nonEmpty = false;
        for (int i = history.size() - 1; i >= 0; i--) {
            JsonNode h = history.get(i);
            boolean empty = h.path("empty_layer").asBoolean(false);
            if (!nonEmpty) {
                if (empty) {
                    continue;
                }
                nonEmpty = true;
            }
            if (empty && h.path("instruction").asText("").equalsIgnoreCase("CMD")) {
                return i;
            }
        }
        return -1;
    }

    /** {@code CMD curl -f http://localhost/} or {@code NONE}, from the config's Healthcheck.Test. */
    private static String healthcheck(JsonNode config) {
        JsonNode test = config.path("healthcheck");
        if (config.path("healthcheck_disabled").asBoolean(false) || !test.isArray() || test.isEmpty()) {
            return "NONE";
        }
        List<String> parts = new ArrayList<>();
        test.forEach(t -> parts.add(t.asText()));
        String first = parts.get(0);
        if (first.equals("NONE")) {
            return "NONE";
        }
        List<String> rest = parts.subList(1, parts.size());
        return "CMD " + String.join(" ", rest);
    }

    private static void add(ArrayNode cmds, List<String> keys, String instruction, String rest, String key) {
        int line = keys.size() + 1;
        ObjectNode c = cmds.addObject();
        String cmd = instruction.toLowerCase(Locale.ROOT);
        c.put("Cmd", cmd);
        c.put("SubCmd", "");
        List<String> flags = new ArrayList<>();
        String args = rest;
        if (cmd.equals("copy") || cmd.equals("add") || cmd.equals("run")) {
            while (args.startsWith("--")) {
                int sp = args.indexOf(' ');
                flags.add(sp < 0 ? args : args.substring(0, sp));
                args = sp < 0 ? "" : args.substring(sp + 1).strip();
            }
        }
        ArrayNode fl = c.putArray("Flags");
        flags.forEach(fl::add);
        ArrayNode value = c.putArray("Value");
        boolean json = false;
        if ((cmd.equals("run") || cmd.equals("cmd") || cmd.equals("entrypoint")) && args.startsWith("[")) {
            try {
                JsonNode arr = JSON.readTree(args);
                if (arr.isArray()) {
                    arr.forEach(v -> value.add(v.asText()));
                    json = true;
                }
            } catch (java.io.IOException e) {
                // not JSON: the shell form
            }
        }
        if (!json) {
            switch (cmd) {
                case "run", "cmd", "entrypoint", "workdir", "user", "onbuild", "shell", "stopsignal" -> value.add(args);
                case "env", "arg", "label" -> {
                    int eq = args.indexOf('=');
                    if (eq > 0) {
                        value.add(args.substring(0, eq));
                        value.add(unquote(args.substring(eq + 1)));
                        value.add("=");
                    } else {
                        for (String t : args.split("\\s+", 2)) {
                            value.add(t);
                        }
                    }
                }
                case "healthcheck" -> {
                    if (args.startsWith("CMD ")) {
                        value.add("CMD");
                        value.add(args.substring(4));
                    } else {
                        value.add(args);
                    }
                }
                default -> {
                    for (String t : args.split("\\s+")) {
                        if (!t.isEmpty()) {
                            value.add(t);
                        }
                    }
                }
            }
        }
        c.put("JSON", json);
        c.put("Original", instruction + (rest.isEmpty() ? "" : " " + rest));
        c.put("Stage", 0);
        c.put("Path", "Dockerfile");
        c.put("StartLine", line);
        c.put("EndLine", line);
        keys.add(key);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
