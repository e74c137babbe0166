package posture.kubernetes.rbac_secrets_access_test

import data.posture.kubernetes.rbac_secrets_access

role(kind, rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "reader", "namespace": "shop"}, "rules": rules}

test_read_verbs[verb] if {
	some verb in ["get", "list", "watch", "*"]
	some kind in ["Role", "ClusterRole"]
	results := rbac_secrets_access.deny with input as role(kind, [{"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["create", verb]}])
	count(results) == 1
	some r in results
	r.path == ["rules", 0, "resources", 1]
	contains(r.msg, verb)
}

test_resource_and_group_wildcards if {
	count(rbac_secrets_access.deny) == 1 with input as role("ClusterRole", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["list"]}])
	count(rbac_secrets_access.deny) == 1 with input as role("ClusterRole", [{"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}])
	count(rbac_secrets_access.deny) == 1 with input as role("ClusterRole", [{"apiGroups": ["*"], "resources": ["secrets"], "verbs": ["watch"]}])
}

test_resource_names_still_reported if {
	some r in rbac_secrets_access.deny with input as role("Role", [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls"], "verbs": ["get"]}])
	contains(r.msg, "only tls")
}

test_write_only_verbs_pass if {
	count(rbac_secrets_access.deny) == 0 with input as role("Role", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create", "update", "patch", "delete"]}])
}

test_other_resources_or_groups_pass if {
	count(rbac_secrets_access.deny) == 0 with input as role("Role", [{"apiGroups": [""], "resources": ["configmaps", "pods/log"], "verbs": ["get", "list"]}])
	count(rbac_secrets_access.deny) == 0 with input as role("Role", [{"apiGroups": ["apps"], "resources": ["*"], "verbs": ["get"]}])
	count(rbac_secrets_access.deny) == 0 with input as role("Role", [{"apiGroups": ["secrets-store.csi.x-k8s.io"], "resources": ["secrets"], "verbs": ["get"]}])
}

test_every_rule_checked if {
	results := rbac_secrets_access.deny with input as role("ClusterRole", [
		{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
		{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]},
	])
	{r.path | some r in results} == {["rules", 1, "resources", 0]}
}
