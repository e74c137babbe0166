# METADATA
# title: Binding to cluster-admin
# custom:
#   id: k8s-cluster-admin-binding
#   control: cluster-admin-binding
#   severity: high
#   theme: iam
#   pss: none
#   remediation: Bind a narrower role.
package posture.kubernetes.cluster_admin_binding

deny contains result if {
	input.kind in {"ClusterRoleBinding", "RoleBinding"}
	input.roleRef.name == "cluster-admin"
	result := {"msg": sprintf("%s %s binds cluster-admin", [input.kind, input.metadata.name]), "path": ["roleRef", "name"]}
}
