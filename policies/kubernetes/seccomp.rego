# METADATA
# scope: package
# title: Container runs without a seccomp profile
# description: >-
#   The effective seccompProfile.type (container value, else pod value) must be RuntimeDefault or
#   Localhost; unset or Unconfined leaves every system call open to the container. Pod Security
#   Standards restricted requires it (baseline already forbids Unconfined). Windows pods are exempt.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
#   - ref: https://kubernetes.io/docs/tutorials/security/seccomp/
# custom:
#   id: k8s-seccomp
#   control: seccomp
#   severity: medium
#   theme: cluster
#   pss: restricted
#   remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a reviewed profile).'
package posture.kubernetes.seccomp

import data.posture.lib.kubernetes as k8s

allowed := {"RuntimeDefault", "Localhost"}

deny contains result if {
	not k8s.is_windows
	some entry in k8s.containers
	not confined(entry)
	eff := k8s.effective(entry, "seccompProfile")
	type := profile_type(eff.value)
	not allowed[type]
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' has seccompProfile.type %v (from the %s securityContext); RuntimeDefault or Localhost is required", [name, show(type), eff.level]),
		"path": type_path(eff, type),
		"container": name,
	}
}

deny contains result if {
	not k8s.is_windows
	some entry in k8s.containers
	not confined(entry)
	not k8s.effective(entry, "seccompProfile")
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' has no seccomp profile (neither the container nor the pod sets securityContext.seccompProfile)", [name]),
		"path": k8s.security_context_path(entry),
		"container": name,
	}
}

type_path(eff, null) := eff.path

type_path(eff, type) := array.concat(eff.path, ["type"]) if type != null

profile_type(profile) := type if {
	type := profile.type
	type != null
} else := null

show(null) := "unset"

show(type) := sprintf("%v", [type]) if type != null

confined(entry) if allowed[k8s.effective_value(entry, "seccompProfile").type]
