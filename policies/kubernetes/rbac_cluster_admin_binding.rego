# METADATA
# scope: package
# title: Binding to cluster-admin
# description: >-
#   A RoleBinding or ClusterRoleBinding whose roleRef is the ClusterRole cluster-admin gives its
#   subjects full control (cluster-wide for a ClusterRoleBinding, the whole namespace including its
#   RBAC for a RoleBinding).
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
# custom:
#   id: k8s-rbac-cluster-admin-binding
#   control: rbac-cluster-admin-binding
#   severity: critical
#   theme: iam
#   pss: none
#   remediation: Bind a Role or ClusterRole that grants only what the subjects need.
package posture.kubernetes.rbac_cluster_admin_binding

import data.posture.lib.kubernetes as k8s

binding_kinds := {"RoleBinding", "ClusterRoleBinding"}

deny contains result if {
	binding_kinds[input.kind]
	input.roleRef.kind == "ClusterRole"
	input.roleRef.name == "cluster-admin"
	result := {
		"msg": sprintf("%s '%s' grants cluster-admin to %s", [input.kind, k8s.resource_name, subjects]),
		"path": ["roleRef", "name"],
	}
}

subjects := concat(", ", names) if {
	names := [sprintf("%v %v", [object.get(s, "kind", "?"), object.get(s, "name", "?")]) | some s in input.subjects; is_object(s)]
	count(names) > 0
} else := "no listed subject"
