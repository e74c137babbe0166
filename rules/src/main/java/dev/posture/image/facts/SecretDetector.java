package dev.posture.image.facts;

import dev.posture.image.layer.ContentProbe;
import dev.posture.model.Redaction;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a file holds a credential, by its name and the first 64 KiB of its content. Every small file
 * (up to 64 KiB) is looked at, because a private key can be anywhere; larger ones only when their name says they
 * are credential files. Evidence is masked ({@link Redaction#mask}, two characters) or just a key's header line.
 */
public final class SecretDetector implements ContentProbe {
    private static final Set<String> NAMES = Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".env", ".npmrc",
            ".pypirc", ".git-credentials", ".netrc", "_netrc", ".htpasswd", "htpasswd", "credentials", "kubeconfig",
            "shadow-", "shadow.bak", "shadow.old", "shadow.orig", "shadow~");
    private static final Set<String> SHADOW_BACKUPS = Set.of("shadow-", "shadow.bak", "shadow.old", "shadow.orig",
            "shadow~");
    private static final Set<String> EXAMPLE_SUFFIXES = Set.of(".example", ".sample", ".template", ".dist", ".tpl");

    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----");
    private static final Pattern AWS_SECRET = Pattern.compile(
            "(?im)^[ \\t]*aws_secret_access_key[ \\t]*[=:][ \\t]*(\\S+)");
    private static final Pattern GCP_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"service_account\"");
    private static final Pattern GCP_KEY_ID = Pattern.compile("\"private_key_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern AZURE_TOKEN = Pattern.compile(
            "\"(accessToken|refreshToken|access_token|refresh_token|secret)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ENV_LINE = Pattern.compile(
            "(?m)^[ \\t]*(?:export[ \\t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \\t]*=[ \\t]*([^\\r\\n]*)");
    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i)pass(word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth(?!or)");
    private static final Pattern NPM_AUTH = Pattern.compile("(?m)(_authToken|_auth|_password)[ \\t]*=[ \\t]*(\\S+)");
    private static final Pattern PYPI_PASSWORD = Pattern.compile("(?im)^[ \\t]*password[ \\t]*[=:][ \\t]*(\\S+)");
    private static final Pattern KUBE_CREDENTIAL = Pattern.compile(
            "(?m)^[ \\t]*(token|client-key-data|password)[ \\t]*:[ \\t]*(\\S+)");
    private static final Pattern GIT_CREDENTIAL = Pattern.compile(
            "([a-z][a-z0-9+.-]*://)([^:/@\\s]+):([^@\\s]+)@([^/\\s]+)");
    private static final Pattern NETRC_PASSWORD = Pattern.compile("(?:^|\\s)password\\s+(\\S+)");
    private static final Pattern DOCKER_AUTH = Pattern.compile(
            "\"(auth|identitytoken|registrytoken)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern HTPASSWD_LINE = Pattern.compile("(?m)^([^:\\s#]+):(\\S+)");
    private static final Pattern SHADOW_HASH = Pattern.compile("(?m)^([^:\\s]+):(\\$[^:\\s]+):");

    @Override
    public boolean wants(String path, long size) {
        return size <= PREFIX_BYTES || NAMES.contains(name(path)) || path.endsWith(".pem") || path.endsWith(".key")
                || path.endsWith(".kube/config") || path.endsWith(".docker/config.json")
                || path.contains(".aws/") || path.contains(".azure/");
    }

    @Override
    public Match probe(String path, byte[] prefix, int length) {
        // Latin-1 keeps one char per byte (cheap, and indexOf is vectorised); evidence is re-decoded as UTF-8
        String text = new String(prefix, 0, length, StandardCharsets.ISO_8859_1);
        Match named = byName(path, name(path), text);
        if (named != null) {
            return named;
        }
        if (text.contains("kind: Config") && text.contains("users:")) {
            Match kube = kubeconfig(text);
            if (kube != null) {
                return kube;
            }
        }
        if (text.contains("PRIVATE KEY")) {
            Matcher m = PRIVATE_KEY.matcher(text);
            if (m.find()) {
                return new Match("private-key", m.group());
            }
        }
        return null;
    }

    private static Match byName(String path, String name, String text) {
        String parent = parentName(path);
        if ((parent.equals(".aws") || name.equals("credentials")) && text.contains("aws_secret_access_key")) {
            return keyValue("aws-credentials", AWS_SECRET.matcher(text), "aws_secret_access_key = ", 1);
        }
        if (name.endsWith(".json") && text.contains("service_account") && text.contains("\"private_key\"")
                && GCP_TYPE.matcher(text).find()) {
            Matcher id = GCP_KEY_ID.matcher(text);
            return new Match("gcp-service-account", id.find()
                    ? "\"private_key_id\": \"" + masked(id.group(1)) + "\""
                    : "\"type\": \"service_account\" with a \"private_key\"");
        }
        if (parent.equals(".azure")) {
            Matcher m = AZURE_TOKEN.matcher(text);
            if (m.find()) {
                return new Match("azure-credentials", "\"" + m.group(1) + "\": \"" + masked(m.group(2)) + "\"");
            }
        }
        if (isDotenv(name)) {
            return dotenv(text);
        }
        if (name.equals(".npmrc")) {
            Matcher m = NPM_AUTH.matcher(text);
            while (m.find()) {
                if (isValue(m.group(2))) {
                    return new Match("npmrc-token", m.group(1) + "=" + masked(m.group(2)));
                }
            }
            return null;
        }
        if (name.equals(".pypirc")) {
            return keyValue("pypirc-password", PYPI_PASSWORD.matcher(text), "password = ", 1);
        }
        if (path.endsWith(".kube/config") || name.equals("kubeconfig")) {
            return kubeconfig(text);
        }
        if (name.equals(".git-credentials")) {
            Matcher m = GIT_CREDENTIAL.matcher(text);
            return m.find() ? new Match("git-credentials",
                    utf8(m.group(1) + m.group(2) + ":" + masked(m.group(3)) + "@" + m.group(4))) : null;
        }
        if (name.equals(".netrc") || name.equals("_netrc")) {
            return keyValue("netrc", NETRC_PASSWORD.matcher(text), "password ", 1);
        }
        if (path.endsWith(".docker/config.json")) {
            Matcher m = DOCKER_AUTH.matcher(text);
            return m.find() ? new Match("docker-auth", "\"" + m.group(1) + "\": \"" + masked(m.group(2)) + "\"")
                    : null;
        }
        if (name.equals(".htpasswd") || name.equals("htpasswd")) {
            Matcher m = HTPASSWD_LINE.matcher(text);
            return m.find() ? new Match("htpasswd", utf8(m.group(1)) + ":" + masked(m.group(2))) : null;
        }
        if (SHADOW_BACKUPS.contains(name)) {
            Matcher m = SHADOW_HASH.matcher(text);
            return m.find() ? new Match("shadow-backup", utf8(m.group(1)) + ":" + masked(m.group(2))) : null;
        }
        return null;
    }

    private static boolean isDotenv(String name) {
        if (!(name.equals(".env") || name.startsWith(".env.") || name.endsWith(".env"))) {
            return false;
        }
        for (String suffix : EXAMPLE_SUFFIXES) { // committed templates, not the real thing
            if (name.endsWith(suffix)) {
                return false;
            }
        }
        return true;
    }

    private static Match dotenv(String text) {
        Matcher m = ENV_LINE.matcher(text);
        while (m.find()) {
            String value = unquote(stripComment(m.group(2).trim()));
            if (CREDENTIAL_NAME.matcher(m.group(1)).find() && isValue(value)) {
                return new Match("dotenv", utf8(m.group(1)) + "=" + masked(value));
            }
        }
        return null;
    }

    private static Match kubeconfig(String text) {
        Matcher m = KUBE_CREDENTIAL.matcher(text);
        while (m.find()) {
            String value = unquote(m.group(2));
            if (isValue(value)) {
                return new Match("kubeconfig-token", m.group(1) + ": " + masked(value));
            }
        }
        return null;
    }

    private static Match keyValue(String kind, Matcher m, String label, int group) {
        while (m.find()) {
            String value = unquote(m.group(group));
            if (isValue(value)) {
                return new Match(kind, label + masked(value));
            }
        }
        return null;
    }

    /** A real value: not empty, not a reference to be filled in elsewhere ({@code ${VAR}}, {@code {{ .x }}}). */
    private static boolean isValue(String value) {
        return !value.isEmpty() && !value.startsWith("${") && !value.startsWith("{{") && !value.startsWith("$(");
    }

    private static String stripComment(String value) {
        if (value.startsWith("\"") || value.startsWith("'")) {
            return value;
        }
        int hash = value.indexOf(" #");
        return hash < 0 ? value : value.substring(0, hash).trim();
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String masked(String latin1) {
        return Redaction.mask(utf8(latin1), 2);
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    private static String parentName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(path.lastIndexOf('/', slash - 1) + 1, slash);
    }
}
