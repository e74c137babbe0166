# METADATA
# scope: package
# title: Pod mounts a hostPath volume
# description: >-
#   A hostPath volume exposes a directory of the node to the pod; even read-only it can leak
#   credentials and node state, and writable it is a direct path to the node. Pod Security
#   Standards baseline forbids hostPath volumes.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - ref: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
# custom:
#   id: k8s-host-path
#   control: host-path
#   severity: high
#   theme: cluster
#   pss: baseline
#   remediation: Replace the hostPath volume with a configMap, secret, emptyDir, projected or persistentVolumeClaim volume.
package posture.kubernetes.host_path

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some i, volume in k8s.pod_spec.volumes
	volume.hostPath != null
	path := object.get(volume.hostPath, "path", "")
	result := {
		"msg": sprintf("Volume '%v' mounts the host path '%v'", [object.get(volume, "name", i), path]),
		"path": array.concat(k8s.pod_spec_path, ["volumes", i, "hostPath"]),
	}
}
