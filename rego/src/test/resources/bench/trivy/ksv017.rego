# METADATA
# title: Privileged container
# description: Privileged container (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV017
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSV017

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	c.securityContext.privileged == true
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.privileged' to false", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
