# METADATA
# scope: package
# title: Container may gain more privileges than its parent process
# description: >-
#   Unless allowPrivilegeEscalation is explicitly false, a process in the container can gain
#   privileges through setuid binaries or file capabilities (no_new_privs is not set). Pod Security
#   Standards restricted requires false. Windows pods are exempt.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: k8s-allow-privilege-escalation
#   control: allow-privilege-escalation
#   severity: medium
#   theme: cluster
#   pss: restricted
#   remediation: Set securityContext.allowPrivilegeEscalation to false.
package posture.kubernetes.allow_privilege_escalation

import data.posture.lib.kubernetes as k8s

deny contains result if {
	not k8s.is_windows
	some entry in k8s.containers
	value := object.get(entry.container, ["securityContext", "allowPrivilegeEscalation"], null)
	value != false
	name := k8s.name(entry)
	result := {
		"msg": message(name, value),
		"path": field_path(entry, value),
		"container": name,
	}
}

message(name, null) := sprintf("Container '%s' does not set securityContext.allowPrivilegeEscalation: false", [name])

message(name, value) := sprintf("Container '%s' sets securityContext.allowPrivilegeEscalation: %v", [name, value]) if value != null

field_path(entry, null) := k8s.security_context_path(entry)

field_path(entry, value) := array.concat(entry.path, ["securityContext", "allowPrivilegeEscalation"]) if value != null
