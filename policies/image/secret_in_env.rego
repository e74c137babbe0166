# METADATA
# scope: package
# title: Credential in the image's environment
# description: >-
#   A config Env entry holds a credential: its name is credential-like (DB_PASSWORD, apiKey,
#   GITHUB_TOKEN; not DB_PASSWORD_FILE, TOKEN_URL or AWS_ACCESS_KEY_ID, as the Kubernetes
#   secret-in-env rule decides) with a literal value, or its value has a known credential shape
#   (AWS access key id, GitHub, GitLab, Slack, Stripe live, npm, PyPI, Docker Hub, Google API keys,
#   a private key, a JWT, a password in a URL) whatever the name. The environment is stored in the
#   image config: anyone who can pull the image reads it with docker inspect. References are not
#   findings: an empty value, a path under /run/secrets, $VAR or ${VAR}, $(...), a Secrets Manager
#   or SSM ARN, and booleans (true, false, yes, no, on, off). The value is never shown whole.
# related_resources:
#   - ref: https://docs.docker.com/build/building/secrets/
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0010
# custom:
#   id: img-secret-in-env
#   control: secret-in-env
#   severity: critical
#   theme: secrets
#   remediation: Remove the ENV instruction (and the ARG feeding it), pass the credential at run time from a secret store or a mounted file (/run/secrets), use build secrets (RUN --mount=type=secret) during the build, and rotate the exposed credential.
package posture.image.secret_in_env

import data.posture.lib.image as img

deny contains result if {
	some e in img.array_or_empty(img.config_field("env"))
	is_object(e)
	name := e.name
	is_string(name)
	value := e.value
	is_string(value)
	reason := env_reason(name, value)
	result := {
		"msg": sprintf("Environment variable %s %s", [name, reason]),
		"key": sprintf("config.Env.%s", [name]),
	}
}

env_reason(name, value) := sprintf("holds a credential: %s", [img.describe_shape(shape)]) if {
	shape := img.first_shape(value)
} else := sprintf("has a credential-like name and a literal value (%s)", [img.mask(value)]) if {
	img.credential_name(name)
	not img.reference_value(value)
}
