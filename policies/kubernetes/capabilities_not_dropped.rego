# METADATA
# scope: package
# title: Container does not drop all capabilities
# description: >-
#   Without capabilities.drop containing ALL the container keeps the runtime's default capability
#   set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW on some runtimes, ...). Pod Security Standards
#   restricted requires dropping ALL (compared here case-insensitively). Windows pods are exempt.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: k8s-capabilities-not-dropped
#   control: capabilities-not-dropped
#   severity: medium
#   theme: cluster
#   pss: restricted
#   remediation: 'Set securityContext.capabilities.drop: ["ALL"] and add back only what the container needs.'
package posture.kubernetes.capabilities_not_dropped

import data.posture.lib.kubernetes as k8s

deny contains result if {
	not k8s.is_windows
	some entry in k8s.containers
	not drops_all(entry.container)
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' does not drop ALL capabilities (securityContext.capabilities.drop)", [name]),
		"path": closest_path(entry),
		"container": name,
	}
}

drops_all(container) if {
	some capability in container.securityContext.capabilities.drop
	is_string(capability)
	upper(capability) == "ALL"
}

closest_path(entry) := array.concat(entry.path, ["securityContext", "capabilities", "drop"]) if {
	entry.container.securityContext.capabilities.drop != null
} else := array.concat(entry.path, ["securityContext", "capabilities"]) if {
	is_object(entry.container.securityContext.capabilities)
} else := k8s.security_context_path(entry)
