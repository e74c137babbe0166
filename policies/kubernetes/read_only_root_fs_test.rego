package posture.kubernetes.read_only_root_fs_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.read_only_root_fs

sc_without := object.remove(t.hardened_security_context, ["readOnlyRootFilesystem"])

test_unset_in_every_kind[kind] if {
	some kind in t.kinds
	results := read_only_root_fs.deny with input as t.workload(kind, t.spec_with(t.container_sc(sc_without)))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext"])
	r.container == "app"
}

test_explicit_false if {
	some r in read_only_root_fs.deny with input as t.pod(t.spec_with(t.container_sc(object.union(sc_without, {"readOnlyRootFilesystem": false}))))
	r.path == ["spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"]
}

test_init_container_checked if {
	spec := t.spec({"initContainers": [t.container({"name": "init", "securityContext": sc_without})]})
	t.containers_of(read_only_root_fs.deny) == {"init"} with input as t.pod(spec)
}

# CONTROLS.md: "an init or regular container".
test_ephemeral_container_not_checked if {
	spec := t.spec({"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc_without})]})
	count(read_only_root_fs.deny) == 0 with input as t.pod(spec)
}

test_pod_level_value_does_not_count if {
	spec := t.spec({"securityContext": {"readOnlyRootFilesystem": true}, "containers": [t.container_sc(sc_without)]})
	count(read_only_root_fs.deny) == 1 with input as t.pod(spec)
}

test_true_passes if {
	count(read_only_root_fs.deny) == 0 with input as t.pod(t.hardened_spec)
}
