# METADATA
# scope: package
# title: Pod uses a volume type outside the restricted set
# description: >-
#   Pod Security Standards restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral,
#   image, persistentVolumeClaim, projected and secret volumes; every other inline source (hostPath,
#   nfs, gitRepo, cloud disks, ...) bypasses the cluster's storage controls.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: k8s-restricted-volume
#   control: restricted-volume
#   severity: medium
#   theme: cluster
#   pss: restricted
#   remediation: Use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volume (a PersistentVolume for network storage).
package posture.kubernetes.restricted_volume

import data.posture.lib.kubernetes as k8s

allowed_types := {
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
	"persistentVolumeClaim", "projected", "secret",
}

deny contains result if {
	some i, volume in k8s.pod_spec.volumes
	is_object(volume)
	some type, source in volume
	type != "name"
	source != null
	not allowed_types[type]
	not allowed_source(volume)
	result := {
		"msg": sprintf("Volume '%v' is of type %s, outside the restricted set", [object.get(volume, "name", i), type]),
		"path": array.concat(k8s.pod_spec_path, ["volumes", i, type]),
	}
}

# A volume that also names an allowed source is that source (PSA checks allowed sources first).
allowed_source(volume) if {
	some type in allowed_types
	volume[type] != null
}
