# METADATA
# scope: package
# title: Pod uses the host network
# description: >-
#   spec.hostNetwork is true: the pod uses the host's network namespace: it can reach node-local services and sniff the node's traffic. Pod Security Standards baseline forbids it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-host-network
#   control: host-network
#   severity: high
#   theme: network
#   pss: baseline
#   remediation: Remove spec.hostNetwork (or set it to false).
package posture.kubernetes.host_network

import data.posture.lib.kubernetes as k8s

deny contains result if {
	k8s.pod_spec.hostNetwork == true
	result := {
		"msg": "Pod sets hostNetwork: true",
		"path": array.concat(k8s.pod_spec_path, ["hostNetwork"]),
	}
}
