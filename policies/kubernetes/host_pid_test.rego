package posture.kubernetes.host_pid_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.host_pid

test_hostPID_true_in_every_kind[kind] if {
	some kind in t.kinds
	results := host_pid.deny with input as t.workload(kind, t.spec({"hostPID": true}))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["hostPID"])
	not r.container
}

test_hostPID_false_or_unset_passes if {
	count(host_pid.deny) == 0 with input as t.pod(t.spec({"hostPID": false}))
	count(host_pid.deny) == 0 with input as t.pod(t.hardened_spec)
	count(host_pid.deny) == 0 with input as t.cronjob(t.spec({"hostPID": null}))
}

test_hostPID_on_a_container_is_not_the_pod_field if {
	count(host_pid.deny) == 0 with input as t.pod(t.spec_with(t.container({"hostPID": true})))
}
