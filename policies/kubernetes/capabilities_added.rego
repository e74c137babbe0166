# METADATA
# scope: package
# title: Container adds a capability outside the baseline default set
# description: >-
#   capabilities.add names a Linux capability outside the default set the runtime grants anyway
#   (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP,
#   SETGID, SETPCAP, SETUID, SYS_CHROOT); SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE and the like widen
#   the kernel attack surface and ease escapes. Pod Security Standards baseline forbids them. Names
#   are compared exactly, as Kubernetes does.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-capabilities-added
#   control: capabilities-added
#   severity: high
#   theme: cluster
#   pss: baseline
#   remediation: Remove the capability from securityContext.capabilities.add (drop ALL and add back only NET_BIND_SERVICE if needed).
package posture.kubernetes.capabilities_added

import data.posture.lib.kubernetes as k8s

baseline_default := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

deny contains result if {
	some entry in k8s.containers
	added := entry.container.securityContext.capabilities.add
	is_array(added)
	some j, capability in added
	not baseline_default[capability]
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' adds capability %v", [name, capability]),
		"path": array.concat(entry.path, ["securityContext", "capabilities", "add", j]),
		"container": name,
	}
}
