# METADATA
# scope: package
# title: Windows HostProcess container
# description: >-
#   windowsOptions.hostProcess: true runs the container as a process directly on the Windows node,
#   with the node's privileges and file system: the Windows equivalent of a privileged container.
#   Pod Security Standards baseline forbids it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
# custom:
#   id: k8s-windows-hostprocess
#   control: windows-hostprocess
#   severity: critical
#   theme: cluster
#   pss: baseline
#   remediation: Remove windowsOptions.hostProcess (or set it to false).
package posture.kubernetes.windows_hostprocess

import data.posture.lib.kubernetes as k8s

deny contains result if {
	k8s.pod_spec.securityContext.windowsOptions.hostProcess == true
	result := {
		"msg": "Pod sets securityContext.windowsOptions.hostProcess: true",
		"path": array.concat(k8s.pod_spec_path, ["securityContext", "windowsOptions", "hostProcess"]),
	}
}

deny contains result if {
	some entry in k8s.containers
	entry.container.securityContext.windowsOptions.hostProcess == true
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' sets securityContext.windowsOptions.hostProcess: true", [name]),
		"path": array.concat(entry.path, ["securityContext", "windowsOptions", "hostProcess"]),
		"container": name,
	}
}
