package posture.kubernetes.host_ipc_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.host_ipc

test_hostIPC_true_in_every_kind[kind] if {
	some kind in t.kinds
	results := host_ipc.deny with input as t.workload(kind, t.spec({"hostIPC": true}))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["hostIPC"])
	not r.container
}

test_hostIPC_false_or_unset_passes if {
	count(host_ipc.deny) == 0 with input as t.pod(t.spec({"hostIPC": false}))
	count(host_ipc.deny) == 0 with input as t.pod(t.hardened_spec)
	count(host_ipc.deny) == 0 with input as t.cronjob(t.spec({"hostIPC": null}))
}

test_hostIPC_on_a_container_is_not_the_pod_field if {
	count(host_ipc.deny) == 0 with input as t.pod(t.spec_with(t.container({"hostIPC": true})))
}
