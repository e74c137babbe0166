# METADATA
# scope: package
# title: Credential written literally in an environment variable
# description: >-
#   An env entry with a credential-like name (password, secret, token, API key, private key,
#   credentials, ...) has a literal value in the manifest: the credential is in version control, in
#   every copy of the manifest and readable by anyone who can read the workload. The value is never
#   shown whole (first two characters of long values only).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
# custom:
#   id: k8s-secret-in-env
#   control: secret-in-env
#   severity: critical
#   theme: secrets
#   pss: none
#   remediation: Move the value into a Secret (or an external secret store) and reference it with valueFrom.secretKeyRef or a mounted file; rotate the exposed credential.
package posture.kubernetes.secret_in_env

import data.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	some j, env in entry.container.env
	is_object(env)
	var := env.name
	is_string(var)
	value := literal(env.value)
	value != ""
	credential_name(var)
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' sets %s to a literal value (%s)", [name, var, mask(value)]),
		"path": array.concat(entry.path, ["env", j, "value"]),
		"container": name,
	}
}

literal(v) := v if is_string(v)

literal(v) := sprintf("%v", [v]) if {
	not is_string(v)
	v != null
	not is_object(v)
	not is_array(v)
}

# Never the value itself: its first two characters when it is long enough to keep most of it hidden.
mask(value) := concat("", [substring(value, 0, 2), "****"]) if {
	count(value) >= 12
} else := "****"

# Words that make a variable name credential-like, matched against the name's words (split on
# separators and camelCase) or, for the longer ones, inside a word (DBPASSWORD).
credential_words := {
	"PASSWORD", "PASSWD", "PASSPHRASE", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN",
	"APIKEY", "CREDENTIAL", "CREDENTIALS", "CREDS", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY",
	"CLIENTSECRET", "AUTHTOKEN",
}

credential_fragments := ["PASSWORD", "PASSWD", "SECRET", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "CREDENTIAL"]

# Two-word credential names: API_KEY, ACCESS_KEY, PRIVATE_KEY, ...
credential_pairs := {
	["API", "KEY"], ["ACCESS", "KEY"], ["PRIVATE", "KEY"], ["SECRET", "KEY"], ["SIGNING", "KEY"],
	["ENCRYPTION", "KEY"], ["MASTER", "KEY"], ["AUTH", "KEY"], ["CONNECTION", "STRING"],
}

# A last word that says the variable holds something about a credential, not the credential.
metadata_suffixes := {
	"FILE", "PATH", "DIR", "NAME", "URL", "URI", "ENDPOINT", "HOST", "PORT", "TTL", "TIMEOUT",
	"EXPIRY", "EXPIRES", "EXPIRATION", "LENGTH", "LEN", "SIZE", "COUNT", "ENABLED", "TYPE",
	"HEADER", "ALGORITHM", "REF", "ID", "MODE", "POLICY", "ROTATION", "VERSION",
}

# Shell variables that only look like credentials.
not_credentials := {"PWD", "OLDPWD"}

words(var) := [w | some w in regex.split(`[^A-Z0-9]+`, upper(regex.replace(var, `([a-z0-9])([A-Z])`, "${1}_${2}"))); w != ""]

credential_name(var) if {
	not not_credentials[upper(var)]
	ws := words(var)
	count(ws) > 0
	not metadata_suffixes[ws[count(ws) - 1]]
	credential_words_in(ws)
}

credential_words_in(ws) if {
	some w in ws
	credential_words[w]
}

credential_words_in(ws) if {
	some w in ws
	some fragment in credential_fragments
	contains(w, fragment)
}

credential_words_in(ws) if {
	some i, w in ws
	i + 1 < count(ws)
	credential_pairs[[w, ws[i + 1]]]
}
