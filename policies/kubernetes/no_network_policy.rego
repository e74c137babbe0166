# METADATA
# scope: package
# title: Workload not selected by any NetworkPolicy
# description: >-
#   No NetworkPolicy in the workload's namespace (among the scanned resources) selects its pod
#   labels (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist; an empty
#   podSelector selects every pod), so its pods accept traffic from anywhere in the cluster and may
#   connect anywhere.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/network-policies/
# custom:
#   id: k8s-no-network-policy
#   control: no-network-policy
#   severity: medium
#   theme: network
#   pss: none
#   remediation: Add a NetworkPolicy in the namespace whose podSelector selects the workload's pods (a default-deny policy with podSelector {} plus the allows it needs).
package posture.kubernetes.no_network_policy

import data.lib.kubernetes as k8s

deny contains result if {
	k8s.pod_spec
	not selected
	result := {
		"msg": sprintf("No NetworkPolicy in namespace '%s' selects the pods of %s '%s'", [k8s.namespace, input.kind, k8s.resource_name]),
		"path": path,
	}
}

selected if {
	some policy in data.inventory[k8s.namespace].NetworkPolicy
	k8s.selector_matches(object.get(policy, ["spec", "podSelector"], null), k8s.pod_labels)
}

path := array.concat(k8s.pod_metadata_path, ["labels"]) if {
	is_object(k8s.pod_metadata.labels)
} else := k8s.pod_metadata_path if {
	is_object(object.get(input, k8s.pod_metadata_path, null))
} else := []
