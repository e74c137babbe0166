# METADATA
# scope: package
# title: Container may run as root
# description: >-
#   A container whose effective runAsNonRoot (container value, else pod value) is not true may run
#   as UID 0, and one whose effective runAsUser is 0 does; root in a container is one kernel bug
#   away from root on the node. Pod Security Standards restricted requires runAsNonRoot: true and
#   forbids runAsUser: 0, except for pods in a user namespace (spec.hostUsers: false).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: k8s-run-as-root
#   control: run-as-root
#   severity: medium
#   theme: cluster
#   pss: restricted
#   remediation: Set runAsNonRoot to true (pod or container securityContext), run as a non-zero runAsUser, or run the pod in a user namespace (hostUsers false).
package posture.kubernetes.run_as_root

import data.posture.lib.kubernetes as k8s

# runAsNonRoot set to something other than true (on the container, or on the pod and not overridden).
deny contains result if {
	not k8s.in_user_namespace
	some entry in k8s.containers
	not non_root(entry)
	eff := k8s.effective(entry, "runAsNonRoot")
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' has runAsNonRoot: %v (from the %s securityContext)", [name, eff.value, eff.level]),
		"path": eff.path,
		"container": name,
	}
}

# runAsNonRoot set nowhere.
deny contains result if {
	not k8s.in_user_namespace
	some entry in k8s.containers
	not non_root(entry)
	not k8s.effective(entry, "runAsNonRoot")
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' does not set runAsNonRoot: true (neither the container nor the pod securityContext does)", [name]),
		"path": k8s.security_context_path(entry),
		"container": name,
	}
}

# Effective runAsUser 0.
deny contains result if {
	not k8s.in_user_namespace
	some entry in k8s.containers
	k8s.effective_value(entry, "runAsUser") == 0
	eff := k8s.effective(entry, "runAsUser")
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' runs as UID 0 (runAsUser: 0 in the %s securityContext)", [name, eff.level]),
		"path": eff.path,
		"container": name,
	}
}

non_root(entry) if k8s.effective_value(entry, "runAsNonRoot") == true
