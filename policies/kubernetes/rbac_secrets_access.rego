# METADATA
# scope: package
# title: RBAC rule grants read access to Secrets
# description: >-
#   A Role or ClusterRole rule that grants get, list, watch or * on secrets (resources "secrets" or
#   "*", in the core API group "" or "*") lets its subjects read credentials; list and watch return
#   every Secret's data, not only names.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
# custom:
#   id: k8s-rbac-secrets-access
#   control: rbac-secrets-access
#   severity: high
#   theme: iam
#   pss: none
#   remediation: Remove secrets from the rule, or limit it to get on named Secrets (resourceNames); mount Secrets into pods instead of reading them through the API.
package posture.kubernetes.rbac_secrets_access

import data.posture.lib.kubernetes as k8s

role_kinds := {"Role", "ClusterRole"}

read_verbs := {"get", "list", "watch", "*"}

deny contains result if {
	role_kinds[input.kind]
	some i, rule in input.rules
	verbs := [v | some v in rule.verbs; read_verbs[v]]
	count(verbs) > 0
	core_group(rule)
	positions := [j | some j, r in rule.resources; secrets_resource(r)]
	count(positions) > 0
	result := {
		"msg": sprintf("%s '%s' rule %d grants %s on secrets%s", [input.kind, k8s.resource_name, i, concat(", ", verbs), scope(rule)]),
		"path": ["rules", i, "resources", positions[0]],
	}
}

secrets_resource("secrets") := true

secrets_resource("*") := true

core_group(rule) if {
	some group in rule.apiGroups
	group in {"", "*"}
}

scope(rule) := sprintf(" (only %s)", [concat(", ", [sprintf("%v", [n]) | some n in rule.resourceNames])]) if {
	count(rule.resourceNames) > 0
} else := ""
