# METADATA
# scope: package
# title: Literal secret in a container's environment
# custom:
#   id: k8s-secret-in-env
#   control: secret-in-env
#   severity: critical
#   theme: secrets
#   pss: none
#   remediation: Reference a Secret with valueFrom.secretKeyRef.
package posture.kubernetes.secret_in_env

import data.lib.kubernetes

deny contains result if {
	some c in kubernetes.containers
	some i, e in object.get(c.container, "env", [])
	regex.match(`(?i)(password|secret|token|key)`, e.name)
	is_string(e.value)
	result := {
		"msg": sprintf("environment variable %s holds a literal secret: %s", [e.name, e.value]),
		"path": array.concat(c.path, ["env", i, "value"]),
		"container": c.container.name,
	}
}
