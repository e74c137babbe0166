# METADATA
# title: Runs with low user ID
# description: Runs with low user ID (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV020
#   severity: LOW
#   recommended_action: See the title.
package builtin.kubernetes.KSV020

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	uid := object.get(c, ["securityContext", "runAsUser"], 0)
	uid <= 10000
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.runAsUser' > 10000", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
