# METADATA
# scope: package
# title: Image helpers shared by the built-in image policies
# description: >-
#   Credential-like variable names and known credential value shapes, values that are references
#   rather than secrets, masking, the temporary directories where world-writable paths are expected,
#   shell command-word matching over history[].command, history steps and the fields of the image
#   document (docs/policies.md) read defensively (null, missing or wrong-typed fields count as absent).
package posture.lib.image

# ---------------------------------------------------------------------------------------------
# Masking: never a secret whole (policies/image/CONTRACT.md)
# ---------------------------------------------------------------------------------------------

# The first two characters and "****" when the value has 12 characters or more, else "****".
mask(value) := concat("", [substring(value, 0, 2), "****"]) if {
	count(value) >= 12
} else := "****"

# Text for a message: at most 80 characters, control characters as spaces.
short(text) := s if {
	t := regex.replace(text, `[\x00-\x1f\x7f]+`, " ")
	s := shorten(trim_space(t))
}

shorten(t) := concat("", [substring(t, 0, 77), "..."]) if {
	count(t) > 80
} else := t

# ---------------------------------------------------------------------------------------------
# Credential-like names (the Kubernetes secret-in-env rule decides the same way)
# ---------------------------------------------------------------------------------------------

# A name is credential-like when, written as upper-case words joined by "_" (split at separators
# and camelCase: dbPassword -> DB_PASSWORD), it has a credential word (PASSWORD, TOKEN, SECRET, ...),
# a credential pair (API_KEY, PRIVATE_KEY, ...) or a word containing PASSWORD, SECRET, APIKEY, ...
# (DBPASSWORD); unless its last word says it names something about a credential rather than the
# credential itself (DB_PASSWORD_FILE, TOKEN_URL, AWS_ACCESS_KEY_ID), or it is the shell's PWD.
credential_words := concat("|", [
	"PASSWORD", "PASSWD", "PASSPHRASE", "PASS", "PWD", "SECRETS?", "TOKEN", "APIKEY", "CREDENTIALS?",
	"CREDS", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "CLIENTSECRET", "AUTHTOKEN",
	"API_KEY", "ACCESS_KEY", "PRIVATE_KEY", "SECRET_KEY", "SIGNING_KEY", "ENCRYPTION_KEY",
	"MASTER_KEY", "AUTH_KEY", "CONNECTION_STRING",
])

credential_fragments := "PASSWORD|PASSWD|SECRET|APIKEY|PRIVATEKEY|ACCESSKEY|CREDENTIAL"

credential_name_pattern := sprintf(`(^|_)(%s)(_|$)|(%s)`, [credential_words, credential_fragments])

about_a_credential_pattern := concat("", ["_(", concat("|", [
	"FILE", "PATH", "DIR", "NAME", "URL", "URI", "ENDPOINT", "HOST", "PORT", "TTL", "TIMEOUT",
	"EXPIRY", "EXPIRES", "EXPIRATION", "LENGTH", "LEN", "SIZE", "COUNT", "ENABLED", "TYPE",
	"HEADER", "ALGORITHM", "REF", "ID", "MODE", "POLICY", "ROTATION", "VERSION",
]), ")$"])

# Shell variables that only look like credentials.
not_credential_names := {"PWD", "OLDPWD"}

# DB_PASSWORD, dbPassword, db-password, db.password -> DB_PASSWORD
normalized_name(name) := trim(regex.replace(upper(regex.replace(name, `([a-z0-9])([A-Z])`, "${1}_${2}")), `[^A-Z0-9]+`, "_"), "_")

credential_name(name) if {
	is_string(name)
	n := normalized_name(name)
	not not_credential_names[n]
	regex.match(credential_name_pattern, n)
	not regex.match(about_a_credential_pattern, n)
}

# ---------------------------------------------------------------------------------------------
# Values that are not secrets even under a credential-like name
# ---------------------------------------------------------------------------------------------

# Empty; a file under /run/secrets (Docker and Kubernetes secret mounts); a variable reference
# ($VAR, ${VAR}, ${VAR:-default}) or a command substitution ($(...)) resolved at run time; an ARN
# of AWS Secrets Manager or SSM Parameter Store; a boolean switch (true, false, yes, no, on, off).
reference_value(value) if trim_space(value) == ""

reference_value(value) if regex.match(`^/(?:var/)?run/secrets(?:/|$)`, value)

reference_value(value) if regex.match(`^\$\{?[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?\}?$`, value)

reference_value(value) if startswith(value, "$(")

reference_value(value) if regex.match(`^arn:aws[a-z-]*:(?:secretsmanager|ssm):`, value)

reference_value(value) if regex.match(`^(?i)(?:true|false|yes|no|on|off)$`, value)

# ---------------------------------------------------------------------------------------------
# Known credential shapes (whatever the name they are stored under)
# ---------------------------------------------------------------------------------------------

credential_shapes := [
	{"kind": "AWS access key id", "pattern": `\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`},
	{"kind": "GitHub token", "pattern": `\bgh[pousr]_[A-Za-z0-9]{36,255}\b`},
	{"kind": "GitHub token", "pattern": `\bgithub_pat_[A-Za-z0-9_]{22,255}\b`},
	{"kind": "GitLab token", "pattern": `\bglpat-[A-Za-z0-9_-]{20,}`},
	{"kind": "Slack token", "pattern": `\bxox[abposre]-[A-Za-z0-9-]{10,}`},
	{"kind": "Slack webhook", "pattern": `https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,}`},
	{"kind": "Stripe live key", "pattern": `\b[sr]k_live_[A-Za-z0-9]{16,}`},
	{"kind": "Google API key", "pattern": `\bAIza[0-9A-Za-z_-]{35}\b`},
	{"kind": "npm token", "pattern": `\bnpm_[A-Za-z0-9]{36}\b`},
	{"kind": "PyPI token", "pattern": `\bpypi-AgE[A-Za-z0-9_-]{50,}`},
	{"kind": "Docker Hub token", "pattern": `\bdckr_pat_[A-Za-z0-9_-]{20,}`},
	{"kind": "Hugging Face token", "pattern": `\bhf_[A-Za-z0-9]{34,}\b`},
	{"kind": "SendGrid key", "pattern": `\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}`},
	{"kind": "Anthropic key", "pattern": `\bsk-ant-[A-Za-z0-9_-]{20,}`},
	{"kind": "OpenAI key", "pattern": `\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}`},
	{"kind": "Azure storage account key", "pattern": `AccountKey=[A-Za-z0-9+/]{40,}={0,2}`},
	{"kind": "private key", "pattern": `-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`},
	{"kind": "JSON Web Token", "pattern": `\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`},
]

# A password written in a URL: scheme://user:password@host (not a $VAR reference, not "****").
credential_url_pattern := `\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s/:@'"]+:([^\s/@'"$*{<]{3,})@`

# Every credential shape in the text: {"kind", "match"} (the matched text, to be masked).
shapes_in(text) := {{"kind": s.kind, "match": m} |
	some s in credential_shapes
	some m in regex.find_n(s.pattern, text, 1)
} | {{"kind": "password in URL", "match": m} |
	some m in regex.find_n(credential_url_pattern, text, 1)
}

# The first credential shape in the text (by kind name, for stable messages); undefined when none.
first_shape(text) := sorted[0] if {
	found := shapes_in(text)
	count(found) > 0
	sorted := sort([[f.kind, f.match] | some f in found])
}

# How a found shape is shown: its kind and the masked match ("scheme://****@" for URLs).
describe_shape(kind_and_match) := sprintf("%s (%s)", [kind_and_match[0], masked_shape(kind_and_match[0], kind_and_match[1])])

masked_shape(kind, m) := concat("", [split(m, "://")[0], "://****@"]) if {
	kind == "password in URL"
} else := mask(m)

# ---------------------------------------------------------------------------------------------
# Credentials written in commands (history[].created_by, history[].command)
# ---------------------------------------------------------------------------------------------

# NAME=value, NAME="value" or NAME='value' after a separator: ARG and ENV steps, --build-arg, the
# "|2 NAME=value" build-argument prefix of RUN steps, export and inline variables.
assignment_pattern := `(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)"']*)`

# The legacy form ENV NAME value.
env_space_pattern := `(?:^|\s)ENV\s+([A-Za-z_][A-Za-z0-9_]*)\s+([^\s=][^\s]*)`

# Every assignment in the text: {"name", "value" (unquoted), "text" (as written)}.
assignments(text) := {{"name": m[1], "value": unquote(m[2]), "text": concat("=", [m[1], m[2]])} |
	some m in regex.find_all_string_submatch_n(assignment_pattern, text, -1)
} | {{"name": m[1], "value": m[2], "text": m[2]} |
	some m in regex.find_all_string_submatch_n(env_space_pattern, text, -1)
}

unquote(v) := substring(v, 1, count(v) - 2) if {
	count(v) >= 2
	regex.match(`^(?:".*"|'.*')$`, v)
} else := v

# Assignments of a credential-like name to a literal value (not a reference).
credential_assignments(text) := [a |
	some a in assignments(text)
	credential_name(a.name)
	not reference_value(a.value)
]

# The first of them by name; undefined when none.
first_credential_assignment(text) := sorted[0] if {
	found := credential_assignments(text)
	count(found) > 0
	sorted := sort(found)
}

# Passwords passed as arguments: a label for messages and a pattern whose last group is the value.
password_arguments := [
	{"label": "--password", "pattern": `(?:^|[\s;&|(])--(?:password|passwd|pass|token|api-key|apikey|secret|client-secret)(?:=|\s+)["']?([^\s"'$<-][^\s"';&|]*)`},
	{"label": "-p", "pattern": `\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mariadb-admin)\s(?:[^;&|]*\s)?-p["']?([^\s"';&|$<][^\s"';&|]*)`},
	{"label": "sshpass -p", "pattern": `\bsshpass\s+(?:-\S+\s+)*-p\s*["']?([^\s"';&|$<-][^\s"';&|]*)`},
	{"label": "login -p", "pattern": `\b(?:docker|podman|buildah|skopeo|oras|crane|helm\s+registry)\s+login\s(?:[^;&|]*\s)?-p\s+["']?([^\s"';&|$<-][^\s"';&|]*)`},
	{"label": "-u user:password", "pattern": `\bcurl\s(?:[^;&|]*\s)?(?:-u|--user)(?:=|\s*)["']?[^\s:"'$]+:([^\s"';&|$<][^\s"';&|]*)`},
	{"label": "-pass pass:", "pattern": `\s-pass(?:in|out)?\s+pass:([^\s"';&|$][^\s"';&|]*)`},
	{"label": "echo user:password | chpasswd", "pattern": `\becho\s+(?:-[a-z]+\s+)?["']?[^\s:"'$]+:([^\s"';&|$][^\s"';&|]*)["']?\s*\|\s*(?:sudo\s+)?chpasswd\b`},
	{"label": "echo password | passwd --stdin", "pattern": `\becho\s+(?:-[a-z]+\s+)?["']?([^\s"';&|$-][^\s"';&|]*)["']?\s*\|\s*(?:sudo\s+)?passwd\s+--stdin\b`},
	{"label": "redis-cli -a", "pattern": `\bredis-cli\s(?:[^;&|]*\s)?-a\s+["']?([^\s"';&|$<-][^\s"';&|]*)`},
]

# Every password argument in the text: {"label", "value"}.
password_argument_values(text) := [{"label": a.label, "value": m[count(m) - 1]} |
	some a in password_arguments
	some m in regex.find_all_string_submatch_n(a.pattern, text, -1)
	not reference_value(m[count(m) - 1])
]

first_password_argument(text) := sorted[0] if {
	found := password_argument_values(text)
	count(found) > 0
	sorted := sort(found)
}

# The text with every credential it carries replaced by its mask: known shapes, values of
# credential-like assignments, password arguments. For messages that quote a command.
redact(text) := strings.replace_n(replacements, text) if {
	replacements := object.union_n([
		{m: masked_shape(f.kind, m) | some f in shapes_in(text); m := f.match},
		{a.text: concat("=", [a.name, "****"]) | some a in credential_assignments(text); contains(a.text, "=")},
		{a.text: "****" | some a in credential_assignments(text); not contains(a.text, "=")},
		{p.value: "****" | some p in password_argument_values(text); count(p.value) > 0},
	])
}

# A command for a message: credentials masked, at most 80 characters.
show(cmd) := short(redact(cmd))

# ---------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------

# Directories meant to be world-writable (with the sticky bit), and everything below them.
tmp_dirs := ["/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock"]

in_tmp_dir(path) if {
	p := clean_path(path)
	some d in tmp_dirs
	under(p, d)
}

# path is dir or below it (dir "/" holds everything).
under(path, dir) if path == dir

under(path, dir) if startswith(path, concat("", [dir, "/"]))

under(path, "/") if startswith(path, "/")

# Repeated slashes collapsed, a trailing slash removed ("/" stays "/").
clean_path(path) := p if {
	p := trim_right(regex.replace(path, `/{2,}`, "/"), "/")
	p != ""
} else := "/"

basename(path) := b if {
	parts := split(clean_path(path), "/")
	b := parts[count(parts) - 1]
}

# ---------------------------------------------------------------------------------------------
# Build history
# ---------------------------------------------------------------------------------------------

# Every history step as {"step": h, "index": N (h.index, else its position), "key": "history.N"}.
steps contains {"step": h, "index": n, "key": sprintf("history.%d", [n])} if {
	some i, h in array_or_empty(object.get(input, ["history"], []))
	is_object(h)
	n := step_index(h, i)
}

step_index(h, i) := h.index if is_number(h.index) else := i

# The step's Dockerfile instruction, upper case ("" when unknown).
instruction(h) := upper(h.instruction) if is_string(h.instruction) else := ""

# The step's command with the shell prefix and markers removed (docs/policies.md), falling back to
# created_by when the analyzer left it null.
command(h) := h.command if is_string(h.command) else := h.created_by if is_string(h.created_by) else := ""

created_by(h) := h.created_by if is_string(h.created_by) else := ""

# RUN steps with their command.
run_steps contains {"step": s.step, "index": s.index, "key": s.key, "command": command(s.step)} if {
	some s in steps
	instruction(s.step) == "RUN"
}


# ---------------------------------------------------------------------------------------------
# Shell command words
# ---------------------------------------------------------------------------------------------

# What may stand right before a command: the start, a separator (; & | newline, an opening
# parenthesis or brace, a backquote, $( ) or a keyword/wrapper that runs the next word.
command_start := "(?:^|[;&|({\\n\\x60]|\\$\\(|\\b(?:then|do|else|exec|xargs|env|nohup|time|command|builtin)\\s)\\s*"

# The word used as a command (also by path: /usr/bin/sudo), e.g. uses_command(cmd, "sudo").
uses_command(cmd, word) if {
	regex.match(sprintf("%s(?:[^\\s;&|()]*/)?%s(?:\\s|$|[;&|)\\x60])", [command_start, word]), cmd)
}

# ---------------------------------------------------------------------------------------------
# Document fields, read defensively
# ---------------------------------------------------------------------------------------------

array_or_empty(x) := x if is_array(x) else := []

# input.files[name] as a list ([] when absent, null or not a list).
files_list(name) := array_or_empty(object.get(input, ["files", name], []))

users := [u | some u in array_or_empty(object.get(input, ["accounts", "users"], [])); is_object(u)]

groups := [g | some g in array_or_empty(object.get(input, ["accounts", "groups"], [])); is_object(g)]

packages := [p | some p in array_or_empty(object.get(input, ["packages"], [])); is_object(p)]

# input.config as an object ({} when absent or null), and one of its fields (null when absent).
config := input.config if is_object(input.config) else := {}

config_field(name) := object.get(config, name, null)

# ---------------------------------------------------------------------------------------------
# Kinds of credential files (files.secrets[].kind, files.deleted_secrets[].kind)
# ---------------------------------------------------------------------------------------------

secret_kinds := {
	"private-key": "a private key",
	"aws-credentials": "AWS credentials",
	"gcp-service-account": "a Google Cloud service-account key",
	"azure-credentials": "Azure credentials",
	"dotenv": "a .env file with credentials",
	"npmrc-token": "an npm registry token",
	"pypirc-password": "a PyPI password",
	"kubeconfig-token": "a kubeconfig with a token",
	"git-credentials": "Git credentials",
	"netrc": "netrc login credentials",
	"docker-auth": "Docker registry credentials",
	"htpasswd": "htpasswd password hashes",
}

# What a kind is, in words ("a credential (kind)" for kinds this list does not know).
secret_kind(kind) := secret_kinds[kind] if {
	is_string(kind)
	secret_kinds[kind]
} else := sprintf("a credential (%s)", [kind]) if {
	is_string(kind)
	kind != ""
} else := "a credential"

# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------

# 40960 -> "40 KB" (binary units, rounded down).
human_bytes(n) := sprintf("%d GB", [floor(n / 1073741824)]) if {
	n >= 1073741824
} else := sprintf("%d MB", [floor(n / 1048576)]) if {
	n >= 1048576
} else := sprintf("%d KB", [floor(n / 1024)]) if {
	n >= 1024
} else := sprintf("%d bytes", [n])
