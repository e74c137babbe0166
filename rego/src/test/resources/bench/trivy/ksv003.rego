# METADATA
# title: Default capabilities not dropped
# description: Default capabilities not dropped (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV003
#   severity: LOW
#   recommended_action: See the title.
package builtin.kubernetes.KSV003

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	not drops_all(c)
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should add 'ALL' to 'securityContext.capabilities.drop'", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}

drops_all(c) if {
	some cap in c.securityContext.capabilities.drop
	upper(cap) == "ALL"
}
