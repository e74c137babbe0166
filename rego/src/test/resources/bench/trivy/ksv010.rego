# METADATA
# title: Access to host PID
# description: Access to host PID (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV010
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSV010

import rego.v1

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_spec.hostPID == true
	msg := sprintf("%s '%s' should not set 'spec.template.spec.hostPID' to true", [kubernetes.kind, kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
