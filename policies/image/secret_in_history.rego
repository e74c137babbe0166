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
#   mysql -p..., sshpass -p, docker login -p, curl -u user:password, openssl -pass pass:...,
#   redis-cli -a, echo user:password | chpasswd, echo password | passwd --stdin).
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

import data.posture.lib.image as img

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
} else := sprintf("sets %s to a literal value (%s)", [a.name, img.mask(a.value)]) if {
	a := img.first_credential_assignment(text)
} else := sprintf("passes a password on the command line (%s ****)", [p.label]) if {
	p := img.first_password_argument(text)
}
