# METADATA
# title: Root file system is not read-only
# description: Root file system is not read-only (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV014
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSV014

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	not c.securityContext.readOnlyRootFilesystem == true
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.readOnlyRootFilesystem' to true", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
