package posture.kubernetes.automount_sa_token_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.automount_sa_token

sa(name, automount) := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": "shop"}, "automountServiceAccountToken": automount}

sa_unset(name) := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": "shop"}}

inventory(accounts) := {"shop": {"ServiceAccount": {a.metadata.name: a | some a in accounts}}}

pod_spec_unset := object.remove(t.hardened_spec, ["automountServiceAccountToken"])

test_explicit_true_on_pod_even_if_sa_opts_out[kind] if {
	some kind in t.kinds
	results := automount_sa_token.deny with input as t.workload(kind, t.spec({"automountServiceAccountToken": true}))
		with data.posture.inventory as inventory([sa("default", false)])
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["automountServiceAccountToken"])
	not r.container
}

test_explicit_false_on_pod_wins_over_sa if {
	count(automount_sa_token.deny) == 0 with input as t.pod(t.spec({"automountServiceAccountToken": false}))
		with data.posture.inventory as inventory([sa("default", true)])
}

test_unset_and_default_sa_opts_out if {
	count(automount_sa_token.deny) == 0 with input as t.deployment(pod_spec_unset)
		with data.posture.inventory as inventory([sa("default", false)])
}

test_unset_and_default_sa_unset if {
	results := automount_sa_token.deny with input as t.deployment(pod_spec_unset)
		with data.posture.inventory as inventory([sa_unset("default")])
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", [])
	contains(r.msg, "'default'")
}

test_unset_and_sa_true if {
	count(automount_sa_token.deny) == 1 with input as t.pod(pod_spec_unset)
		with data.posture.inventory as inventory([sa("default", true)])
}

test_unset_and_sa_not_scanned if {
	results := automount_sa_token.deny with input as t.pod(pod_spec_unset) with data.posture.inventory as {}
	count(results) == 1
	some r in results
	contains(r.msg, "not among the scanned resources")
	count(automount_sa_token.deny) == 1 with input as t.pod(pod_spec_unset)
}

test_named_service_account if {
	spec := object.union(pod_spec_unset, {"serviceAccountName": "shop-api"})
	count(automount_sa_token.deny) == 0 with input as t.cronjob(spec)
		with data.posture.inventory as inventory([sa("shop-api", false), sa("default", true)])
	results := automount_sa_token.deny with input as t.cronjob(spec)
		with data.posture.inventory as inventory([sa("shop-api", true), sa("default", false)])
	count(results) == 1
	some r in results
	r.path == t.path("CronJob", ["serviceAccountName"])
	contains(r.msg, "'shop-api'")
}

test_deprecated_service_account_field if {
	spec := object.union(pod_spec_unset, {"serviceAccount": "legacy"})
	count(automount_sa_token.deny) == 0 with input as t.pod(spec)
		with data.posture.inventory as inventory([sa("legacy", false)])
}

test_sa_in_another_namespace_does_not_count if {
	inv := {"other": {"ServiceAccount": {"default": sa("default", false)}}}
	count(automount_sa_token.deny) == 1 with input as t.pod(pod_spec_unset) with data.posture.inventory as inv
}

test_workload_in_default_namespace_by_omission if {
	w := json.patch(t.pod(pod_spec_unset), [{"op": "remove", "path": "/metadata/namespace"}])
	inv := {"default": {"ServiceAccount": {"default": {"kind": "ServiceAccount", "metadata": {"name": "default"}, "automountServiceAccountToken": false}}}}
	count(automount_sa_token.deny) == 0 with input as w with data.posture.inventory as inv
	count(automount_sa_token.deny) == 1 with input as w with data.posture.inventory as inventory([sa("default", false)])
}

test_not_a_workload if {
	count(automount_sa_token.deny) == 0 with input as sa_unset("default")
}
