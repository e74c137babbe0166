# METADATA
# title: Access to host IPC namespace
# description: Access to host IPC namespace (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV008
#   severity: HIGH
#   recommended_action: See the title.
package builtin.kubernetes.KSV008

import rego.v1

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_spec.hostIPC == true
	msg := sprintf("%s '%s' should not set 'spec.template.spec.hostIPC' to true", [kubernetes.kind, kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}
