# METADATA
# scope: package
# title: Container unmasks /proc
# description: >-
#   A procMount other than Default (Unmasked) removes the masks and read-only paths the runtime
#   applies to /proc, exposing kernel and host information to the container. Pod Security
#   Standards baseline.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-proc-mount
#   control: proc-mount
#   severity: medium
#   theme: cluster
#   pss: baseline
#   remediation: Remove securityContext.procMount (or set it to Default).
package posture.kubernetes.proc_mount

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	value := entry.container.securityContext.procMount
	value != null
	value != "Default"
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' sets securityContext.procMount %v", [name, value]),
		"path": array.concat(entry.path, ["securityContext", "procMount"]),
		"container": name,
	}
}
