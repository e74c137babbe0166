# METADATA
# scope: package
# title: Pod shares the host's PID namespace
# description: >-
#   spec.hostPID is true: the pod shares the host's process ID namespace: its processes can see and signal every process on the node. Pod Security Standards baseline forbids it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-host-pid
#   control: host-pid
#   severity: high
#   theme: cluster
#   pss: baseline
#   remediation: Remove spec.hostPID (or set it to false).
package posture.kubernetes.host_pid

import data.posture.lib.kubernetes as k8s

deny contains result if {
	k8s.pod_spec.hostPID == true
	result := {
		"msg": "Pod sets hostPID: true",
		"path": array.concat(k8s.pod_spec_path, ["hostPID"]),
	}
}
