# METADATA
# scope: package
# title: Workload in the default namespace
# description: >-
#   A workload in the default namespace, explicitly or because metadata.namespace is omitted, shares
#   it with everything else deployed carelessly: RBAC, quotas, NetworkPolicies and Pod Security
#   labels cannot be scoped to the application.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
# custom:
#   id: k8s-default-namespace
#   control: default-namespace
#   severity: low
#   theme: cluster
#   pss: none
#   remediation: Deploy the workload into a dedicated namespace (metadata.namespace).
package posture.kubernetes.default_namespace

import data.posture.lib.kubernetes as k8s

deny contains result if {
	k8s.is_workload
	k8s.namespace == "default"
	result := {
		"msg": message,
		"path": path,
	}
}

explicit if input.metadata.namespace == "default"

message := sprintf("%s '%s' is in the default namespace", [input.kind, k8s.resource_name]) if {
	explicit
} else := sprintf("%s '%s' has no metadata.namespace and lands in the default namespace", [input.kind, k8s.resource_name])

path := ["metadata", "namespace"] if {
	explicit
} else := ["metadata"] if {
	is_object(input.metadata)
} else := []
