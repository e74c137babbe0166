package posture.kubernetes.privileged_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.privileged

test_privileged_container_in_every_kind[kind] if {
	some kind in t.kinds
	spec := t.spec_with(t.container_sc(object.union(t.hardened_security_context, {"privileged": true})))
	results := privileged.deny with input as t.workload(kind, spec)
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext", "privileged"])
	r.container == "app"
	contains(r.msg, "'app'")
}

test_privileged_init_and_ephemeral_containers if {
	sc := object.union(t.hardened_security_context, {"privileged": true})
	spec := t.spec({
		"initContainers": [t.container({"name": "setup", "securityContext": sc})],
		"ephemeralContainers": [t.container({"name": "debugger", "securityContext": sc})],
	})
	results := privileged.deny with input as t.pod(spec)
	t.containers_of(results) == {"setup", "debugger"}
	t.paths(results) == {
		["spec", "initContainers", 0, "securityContext", "privileged"],
		["spec", "ephemeralContainers", 0, "securityContext", "privileged"],
	}
}

test_privileged_false_or_unset_passes if {
	count(privileged.deny) == 0 with input as t.pod(t.spec_with(t.container_sc({"privileged": false})))
	count(privileged.deny) == 0 with input as t.pod(t.spec_with(t.container_sc({})))
	count(privileged.deny) == 0 with input as t.pod(t.spec_with(t.container({"securityContext": null})))
}

test_privileged_string_true_is_not_boolean_true if {
	count(privileged.deny) == 0 with input as t.pod(t.spec_with(t.container_sc({"privileged": "true"})))
}

test_not_a_workload if {
	count(privileged.deny) == 0 with input as {"kind": "ConfigMap", "spec": {"containers": [{"securityContext": {"privileged": true}}]}}
}
