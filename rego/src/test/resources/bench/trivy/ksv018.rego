# METADATA
# title: Memory not limited
# description: Memory not limited (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV018
#   severity: LOW
#   recommended_action: See the title.
package builtin.kubernetes.KSV018

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	not c.resources.limits.memory
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'resources.limits.memory'", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
