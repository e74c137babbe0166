# METADATA
# scope: package
# title: Pod shares the host's IPC namespace
# description: >-
#   spec.hostIPC is true: the pod shares the host's IPC namespace: it can read and write the shared memory of processes on the node. Pod Security Standards baseline forbids it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-host-ipc
#   control: host-ipc
#   severity: high
#   theme: cluster
#   pss: baseline
#   remediation: Remove spec.hostIPC (or set it to false).
package posture.kubernetes.host_ipc

import data.posture.lib.kubernetes as k8s

deny contains result if {
	k8s.pod_spec.hostIPC == true
	result := {
		"msg": "Pod sets hostIPC: true",
		"path": array.concat(k8s.pod_spec_path, ["hostIPC"]),
	}
}
