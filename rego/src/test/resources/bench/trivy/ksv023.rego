# METADATA
# title: hostPath volumes mounted
# description: hostPath volumes mounted (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV023
#   severity: MEDIUM
#   recommended_action: See the title.
package builtin.kubernetes.KSV023

import rego.v1

import data.lib.kubernetes

deny contains res if {
	some v in kubernetes.volumes
	v.hostPath
	msg := sprintf("%s '%s' should not mount hostPath volumes", [kubernetes.kind, kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
