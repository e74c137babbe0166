# METADATA
# title: SYS_ADMIN capability added
# description: SYS_ADMIN capability added (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV005
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSV005

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	some cap in c.securityContext.capabilities.add
	upper(cap) == "SYS_ADMIN"
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should not include 'SYS_ADMIN' in 'securityContext.capabilities.add'", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
