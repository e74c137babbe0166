# METADATA
# title: Access to host network
# description: Access to host network (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV009
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSV009

import rego.v1

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_spec.hostNetwork == true
	msg := sprintf("%s '%s' should not set 'spec.template.spec.hostNetwork' to true", [kubernetes.kind, kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
