package posture.kubernetes.capabilities_added_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.capabilities_added

with_caps(add) := t.container_sc(object.union(t.hardened_security_context, {"capabilities": {"drop": ["ALL"], "add": add}}))

test_outside_default_set[cap] if {
	some cap in ["SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_MODULE", "BPF", "ALL", "sys_admin", "CAP_CHOWN"]
	results := capabilities_added.deny with input as t.deployment(t.spec_with(with_caps([cap])))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "securityContext", "capabilities", "add", 0])
	r.container == "app"
	contains(r.msg, cap)
}

test_baseline_default_set_passes if {
	add := ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
	count(capabilities_added.deny) == 0 with input as t.pod(t.spec_with(with_caps(add)))
}

test_one_finding_per_forbidden_capability if {
	results := capabilities_added.deny with input as t.pod(t.spec_with(with_caps(["NET_BIND_SERVICE", "SYS_ADMIN", "NET_RAW"])))
	t.paths(results) == {
		["spec", "containers", 0, "securityContext", "capabilities", "add", 1],
		["spec", "containers", 0, "securityContext", "capabilities", "add", 2],
	}
}

test_init_ephemeral_and_cronjob if {
	sc := object.union(t.hardened_security_context, {"capabilities": {"drop": ["ALL"], "add": ["SYS_PTRACE"]}})
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "securityContext": sc})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc})],
	})
	t.containers_of(capabilities_added.deny) == {"init", "debug"} with input as t.cronjob(spec)
}

test_no_add_passes if {
	count(capabilities_added.deny) == 0 with input as t.pod(t.hardened_spec)
	count(capabilities_added.deny) == 0 with input as t.pod(t.spec_with(with_caps([])))
	count(capabilities_added.deny) == 0 with input as t.pod(t.spec_with(with_caps(null)))
}
