package dev.posture.rego.builtins;

import com.google.re2j.Pattern;
import dev.posture.rego.value.Value;
import java.util.List;

/**
 * Trivy's secret helper {@code squealer.scan_string(s)}: an object {@code {"transgressionFound": bool,
 * "description": string}} — the description of the first rule whose pattern occurs in {@code s}, or {@code false}
 * and {@code ""} when none does. The shape is that of the squealer string scanner Trivy registers; the rules are
 * this project's own: well-known credential formats, private key blocks, credentials in URLs, and a secret-like
 * name (password, secret, token, API key, …) assigned a value. A bare value without a name is not a finding.
 * Host-provided like {@link TrivyResult}.
 */
public final class TrivySquealer {
    public static final String NAME = "squealer.scan_string";

    private record Rule(String description, Pattern pattern) {
        Rule(String description, String regex) {
            this(description, Pattern.compile(regex));
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("AWS access key ID", "\\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[0-9A-Z]{16}\\b"),
            new Rule("AWS secret access key",
                    "(?i)aws[A-Za-z0-9_.-]{0,20}(?:secret|private)[A-Za-z0-9_.-]{0,20}[\"'\\\\]*\\s*[:=]+\\s*[\"'\\\\]*"
                            + "[A-Za-z0-9/+=]{40}\\b"),
            new Rule("GitHub token", "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\\b"),
            new Rule("GitLab token", "\\bglpat-[A-Za-z0-9_-]{20,}\\b"),
            new Rule("Slack token", "\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            new Rule("Slack webhook URL", "https://hooks\\.slack\\.com/services/[A-Za-z0-9_/]{20,}"),
            new Rule("Private key", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            new Rule("Google API key", "\\bAIza[0-9A-Za-z_-]{35}\\b"),
            new Rule("Stripe secret key", "\\b[rs]k_live_[0-9A-Za-z]{20,}\\b"),
            new Rule("npm access token", "\\bnpm_[A-Za-z0-9]{36}\\b"),
            new Rule("SendGrid API key", "\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\b"),
            new Rule("Credentials in a URL", "\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s:/@\"']{1,64}:[^\\s:/@\"']{3,128}@[A-Za-z0-9.-]+"),
            new Rule("Secret assigned to a sensitive name",
                    "(?i)[A-Za-z0-9_.-]*(?:passw(?:or)?d|passphrase|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token"
                            + "|private[_-]?key|client[_-]?secret|token)[A-Za-z0-9_.-]*[\"'\\\\]*\\s*(?::=|=|:)\\s*[\"'\\\\]*"
                            + "[^\\s\"'\\\\$]{6,}"));

    private TrivySquealer() {
    }

    public static Value call(Value[] args, BuiltinContext ctx) {
        return scan(Args.str(args, 0));
    }

    static Value scan(String s) {
        for (Rule r : RULES) {
            if (r.pattern.matcher(s).find()) {
                return result(true, r.description);
            }
        }
        return result(false, "");
    }

    private static Value result(boolean found, String description) {
        return Value.objOf("transgressionFound", Value.bool(found), "description", Value.str(description));
    }
}
