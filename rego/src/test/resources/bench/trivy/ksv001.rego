# METADATA
# title: Can elevate its own privileges
# description: Can elevate its own privileges (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV001
#   severity: MEDIUM
#   recommended_action: See the title.
package builtin.kubernetes.KSV001

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	not c.securityContext.allowPrivilegeEscalation == false
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.allowPrivilegeEscalation' to false", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
