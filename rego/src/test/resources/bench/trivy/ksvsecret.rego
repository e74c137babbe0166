# METADATA
# title: Secrets in environment variables
# description: Secrets in environment variables (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSVSECRET
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSVSECRET

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	some e in c.env
	regex.match(`(?i)(password|secret|token|api_?key)`, e.name)
	is_string(e.value)
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should not put secrets in plain environment variables", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
