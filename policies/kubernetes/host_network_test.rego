package posture.kubernetes.host_network_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.host_network

test_hostNetwork_true_in_every_kind[kind] if {
	some kind in t.kinds
	results := host_network.deny with input as t.workload(kind, t.spec({"hostNetwork": true}))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["hostNetwork"])
	not r.container
}

test_hostNetwork_false_or_unset_passes if {
	count(host_network.deny) == 0 with input as t.pod(t.spec({"hostNetwork": false}))
	count(host_network.deny) == 0 with input as t.pod(t.hardened_spec)
	count(host_network.deny) == 0 with input as t.cronjob(t.spec({"hostNetwork": null}))
}

test_hostNetwork_on_a_container_is_not_the_pod_field if {
	count(host_network.deny) == 0 with input as t.pod(t.spec_with(t.container({"hostNetwork": true})))
}
