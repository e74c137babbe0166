# METADATA
# scope: package
# title: Container runs privileged
# description: >-
#   A privileged container has every capability and full access to the host's devices; escaping to
#   the node is trivial. Pod Security Standards baseline forbids it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-privileged
#   control: privileged
#   severity: critical
#   theme: cluster
#   pss: baseline
#   remediation: Set securityContext.privileged to false (or remove it) and grant only the capabilities the container needs.
package posture.kubernetes.privileged

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	entry.container.securityContext.privileged == true
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' runs privileged (securityContext.privileged: true)", [name]),
		"path": array.concat(entry.path, ["securityContext", "privileged"]),
		"container": name,
	}
}
