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

import data.posture.lib.kubernetes as k8s

deny contains result if {
	k8s.pod_spec
	not selected
	result := {
		"msg": sprintf("No NetworkPolicy in namespace '%s' selects the pods of %s '%s'", [k8s.namespace, input.kind, k8s.resource_name]),
		"path": path,
	}
}

# The policies' pod selectors, indexed once per scan (these rules read only data.posture.inventory, so the
# engine computes them once and shares them between resources): per namespace, whether one selects
# every pod; the selectors with matchLabels under one of their pairs; and the others.
selectors_by_namespace[ns] := [object.get(policy, ["spec", "podSelector"], null) |
	some policy in policies
] if {
	some ns, kinds in data.posture.inventory
	policies := kinds.NetworkPolicy
}

select_all_namespaces contains ns if {
	some ns, selectors in selectors_by_namespace
	some selector in selectors
	selects_all(selector)
}

# ns -> [key, value] -> selectors whose matchLabels has that pair first (in key order).
by_first_pair[ns] := {pair: [s | some s in selectors; first_pair(s) == pair] |
	some selector in selectors
	pair := first_pair(selector)
} if {
	some ns, selectors in selectors_by_namespace
}

# ns -> selectors without matchLabels pairs (only matchExpressions): checked one by one.
without_pairs[ns] := [s | some s in selectors; not first_pair(s)] if {
	some ns, selectors in selectors_by_namespace
}

selected if {
	select_all_namespaces[k8s.namespace]
} else if {
	some key, value in k8s.pod_labels
	some selector in by_first_pair[k8s.namespace][[key, k8s.format_label(value)]]
	k8s.selector_matches(selector, k8s.pod_labels)
} else if {
	some selector in without_pairs[k8s.namespace]
	k8s.selector_matches(selector, k8s.pod_labels)
}

selects_all(null) := true

selects_all(selector) if {
	is_object(selector)
	not first_pair(selector)
	count(k8s.match_expressions(selector)) == 0
}

first_pair(selector) := [key, k8s.format_label(selector.matchLabels[key])] if {
	is_object(selector.matchLabels)
	keys := sort(object.keys(selector.matchLabels))
	count(keys) > 0
	key := keys[0]
}

path := array.concat(k8s.pod_metadata_path, ["labels"]) if {
	is_object(k8s.pod_metadata.labels)
} else := k8s.pod_metadata_path if {
	is_object(object.get(input, k8s.pod_metadata_path, null))
} else := []
