package posture.kubernetes.proc_mount_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.proc_mount

with_proc_mount(value) := t.container_sc(object.union(t.hardened_security_context, {"procMount": value}))

test_unmasked_in_every_kind[kind] if {
	some kind in t.kinds
	results := proc_mount.deny with input as t.workload(kind, t.spec_with(with_proc_mount("Unmasked")))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext", "procMount"])
	r.container == "app"
}

test_default_or_unset_passes if {
	count(proc_mount.deny) == 0 with input as t.pod(t.spec_with(with_proc_mount("Default")))
	count(proc_mount.deny) == 0 with input as t.pod(t.spec_with(with_proc_mount(null)))
	count(proc_mount.deny) == 0 with input as t.pod(t.hardened_spec)
}

test_init_and_ephemeral if {
	sc := object.union(t.hardened_security_context, {"procMount": "Unmasked"})
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "securityContext": sc})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc})],
	})
	t.containers_of(proc_mount.deny) == {"init", "debug"} with input as t.pod(spec)
}

# CONTROLS.md names no exemption: a user-namespaced pod is still reported.
test_user_namespace_still_reported if {
	count(proc_mount.deny) == 1 with input as t.pod(t.spec({"hostUsers": false, "containers": [with_proc_mount("Unmasked")]}))
}
