# METADATA
# scope: package
# title: Container root filesystem is writable
# description: >-
#   Without readOnlyRootFilesystem: true an attacker who gets code execution can modify the
#   container's binaries and configuration and drop tools; a read-only root with explicit writable
#   volumes (emptyDir) limits that. Applies to init and regular containers.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: k8s-read-only-root-fs
#   control: read-only-root-fs
#   severity: low
#   theme: cluster
#   pss: none
#   remediation: Set securityContext.readOnlyRootFilesystem to true and mount an emptyDir where the application must write.
package posture.kubernetes.read_only_root_fs

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.pod_containers
	value := object.get(entry.container, ["securityContext", "readOnlyRootFilesystem"], null)
	value != true
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' does not set securityContext.readOnlyRootFilesystem: true", [name]),
		"path": field_path(entry, value),
		"container": name,
	}
}

field_path(entry, null) := k8s.security_context_path(entry)

field_path(entry, value) := array.concat(entry.path, ["securityContext", "readOnlyRootFilesystem"]) if value != null
