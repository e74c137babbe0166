package posture.kubernetes.capabilities_not_dropped_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.capabilities_not_dropped

with_caps(caps) := t.container_sc(object.union(object.remove(t.hardened_security_context, ["capabilities"]), {"capabilities": caps}))

test_drop_all_any_case_passes[drop] if {
	some drop in [["ALL"], ["all"], ["All"], ["NET_RAW", "all"]]
	count(capabilities_not_dropped.deny) == 0 with input as t.deployment(t.spec_with(with_caps({"drop": drop})))
}

test_drop_without_all[drop] if {
	some drop in [["NET_RAW"], [], ["SYS_ADMIN", "NET_RAW"], ["ALL_CAPS"]]
	results := capabilities_not_dropped.deny with input as t.deployment(t.spec_with(with_caps({"drop": drop})))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "securityContext", "capabilities", "drop"])
	r.container == "app"
}

test_missing_drop_points_at_closest_ancestor if {
	some r1 in capabilities_not_dropped.deny with input as t.pod(t.spec_with(with_caps({"add": ["NET_BIND_SERVICE"]})))
	r1.path == ["spec", "containers", 0, "securityContext", "capabilities"]
	some r2 in capabilities_not_dropped.deny with input as t.pod(t.spec_with(t.container_sc({"runAsNonRoot": true})))
	r2.path == ["spec", "containers", 0, "securityContext"]
	some r3 in capabilities_not_dropped.deny with input as t.pod(t.spec_with(object.remove(t.hardened_container, ["securityContext"])))
	r3.path == ["spec", "containers", 0]
}

test_every_container_type_and_kind[kind] if {
	some kind in t.kinds
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "securityContext": {}})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": {}})],
	})
	t.containers_of(capabilities_not_dropped.deny) == {"init", "debug"} with input as t.workload(kind, spec)
}

test_windows_pods_exempt if {
	spec := t.spec({"os": {"name": "windows"}, "containers": [t.container({"securityContext": {}})]})
	count(capabilities_not_dropped.deny) == 0 with input as t.pod(spec)
	count(capabilities_not_dropped.deny) == 1 with input as t.pod(object.union(spec, {"os": {"name": "linux"}}))
}
