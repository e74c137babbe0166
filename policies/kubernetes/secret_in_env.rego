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

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	some j, env in entry.container.env
	var := env.name
	is_string(var)
	regex.match(`(?i)pass|pwd|secret|token|key|cred|string`, var)
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

# A variable name is credential-like when, written as upper-case words joined by "_" (split at
# separators and camelCase: dbPassword -> DB_PASSWORD), it has a credential word (PASSWORD, TOKEN,
# SECRET, ...), a credential pair (API_KEY, PRIVATE_KEY, ...) or a word containing PASSWORD, SECRET,
# APIKEY, ... (DBPASSWORD); unless its last word says it holds something about a credential rather
# than the credential (DB_PASSWORD_FILE, TOKEN_URL, AWS_ACCESS_KEY_ID), or it is the shell's PWD.
credential_words := concat("|", [
	"PASSWORD", "PASSWD", "PASSPHRASE", "PASS", "PWD", "SECRETS?", "TOKEN", "APIKEY", "CREDENTIALS?",
	"CREDS", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "CLIENTSECRET", "AUTHTOKEN",
	"API_KEY", "ACCESS_KEY", "PRIVATE_KEY", "SECRET_KEY", "SIGNING_KEY", "ENCRYPTION_KEY",
	"MASTER_KEY", "AUTH_KEY", "CONNECTION_STRING",
])

credential_fragments := "PASSWORD|PASSWD|SECRET|APIKEY|PRIVATEKEY|ACCESSKEY|CREDENTIAL"

credential_pattern := sprintf(`(^|_)(%s)(_|$)|(%s)`, [credential_words, credential_fragments])

metadata_suffix_pattern := concat("", ["_(", concat("|", [
	"FILE", "PATH", "DIR", "NAME", "URL", "URI", "ENDPOINT", "HOST", "PORT", "TTL", "TIMEOUT",
	"EXPIRY", "EXPIRES", "EXPIRATION", "LENGTH", "LEN", "SIZE", "COUNT", "ENABLED", "TYPE",
	"HEADER", "ALGORITHM", "REF", "ID", "MODE", "POLICY", "ROTATION", "VERSION",
]), ")$"])

# Shell variables that only look like credentials.
not_credentials := {"PWD", "OLDPWD"}

# DB_PASSWORD, dbPassword, db-password, db.password -> DB_PASSWORD
normalized(var) := trim(regex.replace(upper(regex.replace(var, `([a-z0-9])([A-Z])`, "${1}_${2}")), `[^A-Z0-9]+`, "_"), "_")

credential_name(var) if {
	n := normalized(var)
	not not_credentials[n]
	regex.match(credential_pattern, n)
	not regex.match(metadata_suffix_pattern, n)
}
