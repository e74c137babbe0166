# METADATA
# scope: package
# title: Credential in the image's build history
# description: >-
#   A build step's created_by (what docker history shows to anyone who pulls the image) carries a
#   credential: a known credential shape anywhere (AWS access key id, GitHub token, private key,
#   JWT, ...), a password in a URL (https://user:password@host), a NAME=value assignment of a
#   credential-like name with a literal value (ARG and ENV steps, --build-arg, the "|N NAME=value"
#   build-argument prefix BuildKit and the legacy builder record on RUN steps, export and inline
#   variables), or a password passed as an argument (--password=..., --password ..., --token ...,
#   mysql -p..., sshpass -p, docker login -p, curl -u user:password, openssl -pass pass:...).
#   Values that are references ($VAR, ${VAR}, $(...), /run/secrets/...) are not findings. One
#   finding per step, the credential masked.
# related_resources:
#   - ref: https://docs.docker.com/build/building/secrets/
#   - ref: https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
# custom:
#   id: img-secret-in-history
#   control: secret-in-history
#   severity: high
#   theme: secrets
#   remediation: Pass build-time credentials as build secrets (RUN --mount=type=secret) instead of ARG, ENV or command-line arguments, rebuild the image, delete the published one, and rotate the credential.
package posture.image.secret_in_history

import data.lib.image as img

deny contains result if {
	some s in img.steps
	text := step_text(s.step)
	reason := history_reason(text)
	result := {
		"msg": sprintf("Build step %d (%s) %s", [s.index, img.instruction(s.step), reason]),
		"key": s.key,
	}
}

step_text(h) := img.created_by(h) if img.created_by(h) != "" else := img.command(h)

history_reason(text) := sprintf("carries a credential: %s", [img.describe_shape(shape)]) if {
	shape := img.first_shape(text)
} else := sprintf("sets %s to a literal value (%s)", [a[0], img.mask(a[1])]) if {
	a := first_assignment(text)
} else := sprintf("passes a password on the command line (%s ****)", [p]) if {
	p := first_password_argument(text)
}

# NAME=value, "NAME=value" or NAME='value' after a separator (ARG, ENV, --build-arg, |2 A=b, export).
assignment_pattern := `(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)"']*)`

# The legacy ENV form: ENV NAME value.
env_space_pattern := `(?:^|\s)ENV\s+([A-Za-z_][A-Za-z0-9_]*)\s+([^\s=][^\s]*)`

assignments(text) := {[m[1], unquote(m[2])] |
	some m in regex.find_all_string_submatch_n(assignment_pattern, text, -1)
} | {[m[1], m[2]] |
	some m in regex.find_all_string_submatch_n(env_space_pattern, text, -1)
}

unquote(v) := substring(v, 1, count(v) - 2) if {
	count(v) >= 2
	regex.match(`^(?:".*"|'.*')$`, v)
} else := v

# The first (by name) credential-like assignment with a literal value.
first_assignment(text) := sorted[0] if {
	found := [[name, value] |
		some [name, value] in assignments(text)
		img.credential_name(name)
		not img.reference_value(value)
	]
	count(found) > 0
	sorted := sort(found)
}

# Passwords as arguments: a label for the message and a pattern whose last group is the value.
password_arguments := [
	{"label": "--password", "pattern": `(?:^|[\s;&|(])--(?:password|passwd|pass|token|api-key|apikey|secret|client-secret)(?:=|\s+)["']?([^\s"'$<-][^\s"';&|]*)`},
	{"label": "-p", "pattern": `\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mariadb-admin)\s(?:[^;&|]*\s)?-p["']?([^\s"';&|$<][^\s"';&|]*)`},
	{"label": "sshpass -p", "pattern": `\bsshpass\s+(?:-\S+\s+)*-p\s*["']?([^\s"';&|$<-][^\s"';&|]*)`},
	{"label": "login -p", "pattern": `\b(?:docker|podman|buildah|skopeo|oras|crane|helm\s+registry)\s+login\s(?:[^;&|]*\s)?-p\s+["']?([^\s"';&|$<-][^\s"';&|]*)`},
	{"label": "-u user:password", "pattern": `\bcurl\s(?:[^;&|]*\s)?(?:-u|--user)(?:=|\s*)["']?[^\s:"'$]+:([^\s"';&|$<][^\s"';&|]*)`},
	{"label": "-pass pass:", "pattern": `\s-pass(?:in|out)?\s+pass:([^\s"';&|$][^\s"';&|]*)`},
	{"label": "redis-cli -a", "pattern": `\bredis-cli\s(?:[^;&|]*\s)?-a\s+["']?([^\s"';&|$<-][^\s"';&|]*)`},
]

first_password_argument(text) := sorted[0] if {
	found := [a.label |
		some a in password_arguments
		some m in regex.find_all_string_submatch_n(a.pattern, text, -1)
		not img.reference_value(m[count(m) - 1])
	]
	count(found) > 0
	sorted := sort(found)
}
