# METADATA
# scope: package
# title: Container runs privileged
# description: A privileged container has every capability of the host.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/
# custom:
#   id: k8s-privileged
#   control: privileged
#   severity: critical
#   theme: cluster
#   pss: baseline
#   remediation: Set securityContext.privileged to false (or remove it).
package posture.kubernetes.privileged

import data.lib.kubernetes

deny contains result if {
	some c in kubernetes.containers
	c.container.securityContext.privileged == true
	result := {
		"msg": sprintf("container %q runs privileged", [c.container.name]),
		"path": array.concat(c.path, ["securityContext", "privileged"]),
		"container": c.container.name,
	}
}
