package posture.kubernetes.rbac_wildcard_test

import data.posture.kubernetes.rbac_wildcard

role(kind, rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "ops", "namespace": "shop"}, "rules": rules}

test_wildcard_per_field[field] if {
	some field in ["verbs", "resources", "apiGroups"]
	base := {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}
	rule := object.union(base, {field: ["pods", "*"]})
	some kind in ["Role", "ClusterRole"]
	results := rbac_wildcard.deny with input as role(kind, [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}, rule])
	count(results) == 1
	some r in results
	r.path == ["rules", 1, field, 1]
	contains(r.msg, field)
}

test_all_wildcards_one_finding_per_rule if {
	results := rbac_wildcard.deny with input as role("ClusterRole", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}])
	count(results) == 1
	some r in results
	r.path == ["rules", 0, "verbs", 0]
	contains(r.msg, "verbs, apiGroups, resources")
}

test_subresource_wildcard if {
	count(rbac_wildcard.deny) == 1 with input as role("Role", [{"apiGroups": ["apps"], "resources": ["*/scale"], "verbs": ["update"]}])
}

test_every_rule_is_checked if {
	results := rbac_wildcard.deny with input as role("Role", [
		{"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]},
		{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
		{"apiGroups": ["*"], "resources": ["deployments"], "verbs": ["get"]},
	])
	{r.path | some r in results} == {["rules", 0, "verbs", 0], ["rules", 2, "apiGroups", 0]}
}

test_explicit_rules_pass if {
	count(rbac_wildcard.deny) == 0 with input as role("ClusterRole", [
		{"apiGroups": ["", "apps"], "resources": ["pods", "deployments", "pods/log"], "verbs": ["get", "list", "watch"]},
		{"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
	])
	count(rbac_wildcard.deny) == 0 with input as role("ClusterRole", [])
	count(rbac_wildcard.deny) == 0 with input as {"kind": "ClusterRole", "metadata": {"name": "agg"}, "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]}}
}

test_only_roles if {
	count(rbac_wildcard.deny) == 0 with input as {"kind": "ClusterRoleBinding", "metadata": {"name": "b"}, "rules": [{"verbs": ["*"]}]}
}
