package posture.kubernetes.no_network_policy_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.no_network_policy

np(ns, name, selector) := {
	"apiVersion": "networking.k8s.io/v1",
	"kind": "NetworkPolicy",
	"metadata": {"name": name, "namespace": ns},
	"spec": {"podSelector": selector, "policyTypes": ["Ingress"]},
}

inventory(policies) := {ns: {"NetworkPolicy": {p.metadata.name: p | some p in policies; p.metadata.namespace == ns}} |
	some q in policies
	ns := q.metadata.namespace
}

test_no_policy_at_all[kind] if {
	some kind in t.kinds
	results := no_network_policy.deny with input as t.workload(kind, t.hardened_spec) with data.posture.inventory as {}
	count(results) == 1
	some r in results
	r.path == array.concat(data.posture.lib.kubernetes.pod_metadata_paths[kind], ["labels"])
	contains(r.msg, "'shop'")
}

test_empty_selector_selects_all[kind] if {
	some kind in t.kinds
	count(no_network_policy.deny) == 0 with input as t.workload(kind, t.hardened_spec)
		with data.posture.inventory as inventory([np("shop", "deny-all", {})])
}

test_missing_or_null_selector_selects_all if {
	p := {"kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "shop"}, "spec": {"policyTypes": ["Ingress"]}}
	count(no_network_policy.deny) == 0 with input as t.pod(t.hardened_spec) with data.posture.inventory as {"shop": {"NetworkPolicy": {"p": p}}}
	count(no_network_policy.deny) == 0 with input as t.pod(t.hardened_spec) with data.posture.inventory as inventory([np("shop", "p", null)])
}

test_match_labels_selects if {
	count(no_network_policy.deny) == 0 with input as t.deployment(t.hardened_spec)
		with data.posture.inventory as inventory([np("shop", "web", {"matchLabels": {"app": "shop"}})])
}

test_match_labels_other_app if {
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec)
		with data.posture.inventory as inventory([np("shop", "db", {"matchLabels": {"app": "db"}}), np("shop", "web", {"matchLabels": {"app": "shop", "tier": "db"}})])
}

test_match_expressions_select[op] if {
	some op in [
		{"key": "tier", "operator": "In", "values": ["web", "api"]},
		{"key": "tier", "operator": "NotIn", "values": ["db"]},
		{"key": "zone", "operator": "NotIn", "values": ["eu"]},
		{"key": "app", "operator": "Exists"},
		{"key": "zone", "operator": "DoesNotExist"},
	]
	count(no_network_policy.deny) == 0 with input as t.deployment(t.hardened_spec)
		with data.posture.inventory as inventory([np("shop", "p", {"matchExpressions": [op]})])
}

test_match_expressions_do_not_select[op] if {
	some op in [
		{"key": "tier", "operator": "In", "values": ["db"]},
		{"key": "tier", "operator": "NotIn", "values": ["web"]},
		{"key": "zone", "operator": "Exists"},
		{"key": "app", "operator": "DoesNotExist"},
	]
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec)
		with data.posture.inventory as inventory([np("shop", "p", {"matchExpressions": [op]})])
}

test_labels_and_expressions_both_required if {
	sel := {"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory([np("shop", "p", sel)])
}

test_policy_in_another_namespace_does_not_count if {
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec)
		with data.posture.inventory as inventory([np("other", "deny-all", {})])
}

test_default_namespace_by_omission if {
	w := json.patch(t.deployment(t.hardened_spec), [{"op": "remove", "path": "/metadata/namespace"}])
	count(no_network_policy.deny) == 0 with input as w with data.posture.inventory as inventory([np("default", "all", {})])
	count(no_network_policy.deny) == 1 with input as w with data.posture.inventory as inventory([np("shop", "all", {})])
}

test_selector_matches_pod_template_labels_not_workload_labels if {
	w := json.patch(t.deployment(t.hardened_spec), [{"op": "replace", "path": "/metadata/labels", "value": {"team": "payments"}}])
	count(no_network_policy.deny) == 0 with input as w with data.posture.inventory as inventory([np("shop", "p", {"matchLabels": {"app": "shop"}})])
	count(no_network_policy.deny) == 1 with input as w with data.posture.inventory as inventory([np("shop", "p", {"matchLabels": {"team": "payments"}})])
}

test_cronjob_deep_labels if {
	count(no_network_policy.deny) == 0 with input as t.cronjob(t.hardened_spec)
		with data.posture.inventory as inventory([np("shop", "p", {"matchLabels": {"tier": "web"}})])
}

test_unlabelled_pods if {
	w := json.patch(t.pod(t.hardened_spec), [{"op": "remove", "path": "/metadata/labels"}])
	count(no_network_policy.deny) == 1 with input as w with data.posture.inventory as inventory([np("shop", "p", {"matchLabels": {"app": "shop"}})])
	count(no_network_policy.deny) == 0 with input as w with data.posture.inventory as inventory([np("shop", "p", {"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]})])
	some r in no_network_policy.deny with input as w with data.posture.inventory as {}
	r.path == ["metadata"]
}

test_not_a_workload if {
	count(no_network_policy.deny) == 0 with input as {"kind": "Service", "metadata": {"name": "s", "namespace": "shop"}, "spec": {}} with data.posture.inventory as {}
}

# The selectors are indexed by their first matchLabels pair (in key order); the index must not
# change what is selected.
test_same_first_pair_second_policy_selects if {
	policies := [
		np("shop", "a", {"matchLabels": {"app": "shop", "tier": "db"}}),
		np("shop", "b", {"matchLabels": {"app": "shop", "tier": "web"}}),
	]
	count(no_network_policy.deny) == 0 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory(policies)
}

test_first_pair_matches_but_not_the_rest if {
	policies := [np("shop", "a", {"matchLabels": {"app": "shop", "tier": "db"}})]
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory(policies)
}

test_first_pair_matches_but_not_the_expressions if {
	policies := [np("shop", "a", {"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "zone", "operator": "Exists"}]})]
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory(policies)
}

test_pair_on_a_later_key_of_the_workload if {
	# The policy's only pair is the workload's second label.
	policies := [np("shop", "a", {"matchLabels": {"tier": "web"}})]
	count(no_network_policy.deny) == 0 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory(policies)
}

test_empty_match_labels_with_expressions if {
	sel := {"matchLabels": {}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}
	count(no_network_policy.deny) == 0 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory([np("shop", "a", sel)])
	sel2 := {"matchLabels": {}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory([np("shop", "a", sel2)])
}

test_non_string_label_values_compare_as_text if {
	w := json.patch(t.pod(t.hardened_spec), [{"op": "replace", "path": "/metadata/labels", "value": {"version": "2"}}])
	count(no_network_policy.deny) == 0 with input as w with data.posture.inventory as inventory([np("shop", "a", {"matchLabels": {"version": 2}})])
}

test_many_policies_one_selects if {
	others := [np("shop", sprintf("p%d", [i]), {"matchLabels": {"app": sprintf("other-%d", [i])}}) | some i in numbers.range(1, 300)]
	count(no_network_policy.deny) == 1 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory(others)
	count(no_network_policy.deny) == 0 with input as t.deployment(t.hardened_spec) with data.posture.inventory as inventory(array.concat(others, [np("shop", "web", {"matchLabels": {"tier": "web", "app": "shop"}})]))
}
