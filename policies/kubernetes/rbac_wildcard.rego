# METADATA
# scope: package
# title: RBAC rule with a wildcard
# description: >-
#   A Role or ClusterRole rule with "*" in verbs, resources or apiGroups grants everything of that
#   kind, including verbs and resources added later (CRDs, escalate, impersonate).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: k8s-rbac-wildcard
#   control: rbac-wildcard
#   severity: high
#   theme: iam
#   pss: none
#   remediation: List the exact verbs, resources and API groups the subject needs.
package posture.kubernetes.rbac_wildcard

import data.posture.lib.kubernetes as k8s

role_kinds := {"Role", "ClusterRole"}

fields := ["verbs", "apiGroups", "resources"]

deny contains result if {
	role_kinds[input.kind]
	some i, rule in input.rules
	wild := [field | some field in fields; has_wildcard(rule, field)]
	count(wild) > 0
	field := wild[0]
	positions := [j | some j, value in rule[field]; is_wildcard(value)]
	j := positions[0]
	result := {
		"msg": sprintf("%s '%s' rule %d has a wildcard in %s", [input.kind, k8s.resource_name, i, concat(", ", wild)]),
		"path": ["rules", i, field, j],
	}
}

has_wildcard(rule, field) if {
	some value in rule[field]
	is_wildcard(value)
}

is_wildcard("*") := true

# "*/scale" and the like: a subresource of every resource.
is_wildcard(value) if {
	is_string(value)
	startswith(value, "*/")
}
