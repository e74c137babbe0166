package posture.kubernetes.rbac_cluster_admin_binding_test

import data.posture.kubernetes.rbac_cluster_admin_binding

binding(kind, ref_kind, ref_name) := {
	"apiVersion": "rbac.authorization.k8s.io/v1",
	"kind": kind,
	"metadata": {"name": "ops-admin", "namespace": "shop"},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": ref_kind, "name": ref_name},
	"subjects": [{"kind": "ServiceAccount", "name": "ops", "namespace": "shop"}, {"kind": "Group", "name": "sre"}],
}

test_cluster_admin[kind] if {
	some kind in ["ClusterRoleBinding", "RoleBinding"]
	results := rbac_cluster_admin_binding.deny with input as binding(kind, "ClusterRole", "cluster-admin")
	count(results) == 1
	some r in results
	r.path == ["roleRef", "name"]
	contains(r.msg, "ServiceAccount ops, Group sre")
}

test_other_roles_pass if {
	count(rbac_cluster_admin_binding.deny) == 0 with input as binding("ClusterRoleBinding", "ClusterRole", "view")
	count(rbac_cluster_admin_binding.deny) == 0 with input as binding("ClusterRoleBinding", "ClusterRole", "admin")
	count(rbac_cluster_admin_binding.deny) == 0 with input as binding("RoleBinding", "Role", "cluster-admin")
}

test_only_bindings if {
	count(rbac_cluster_admin_binding.deny) == 0 with input as {"kind": "ClusterRole", "metadata": {"name": "cluster-admin"}, "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}}
}
