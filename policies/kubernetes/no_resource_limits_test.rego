package posture.kubernetes.no_resource_limits_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.no_resource_limits

test_no_resources_in_every_kind[kind] if {
	some kind in t.kinds
	results := no_resource_limits.deny with input as t.workload(kind, t.spec_with(object.remove(t.hardened_container, ["resources"])))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0])
	r.container == "app"
	contains(r.msg, "cpu or memory")
}

test_only_requests if {
	some r in no_resource_limits.deny with input as t.pod(t.spec_with(t.container({"resources": {"requests": {"cpu": "1", "memory": "1Gi"}}})))
	r.path == ["spec", "containers", 0, "resources"]
}

test_one_limit_missing[resource] if {
	some resource in ["cpu", "memory"]
	limits := object.remove({"cpu": "1", "memory": "1Gi"}, [resource])
	results := no_resource_limits.deny with input as t.pod(t.spec_with(t.container({"resources": {"limits": limits}})))
	count(results) == 1
	some r in results
	r.path == ["spec", "containers", 0, "resources", "limits"]
	contains(r.msg, sprintf("no %s limit", [resource]))
}

test_init_container_checked if {
	spec := t.spec({"initContainers": [object.remove(t.container({"name": "init"}), ["resources"])]})
	t.containers_of(no_resource_limits.deny) == {"init"} with input as t.pod(spec)
}

# CONTROLS.md: ephemeral containers cannot have resources and are not checked.
test_ephemeral_container_not_checked if {
	spec := t.spec({"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}]})
	count(no_resource_limits.deny) == 0 with input as t.pod(spec)
}

test_limits_present_pass if {
	count(no_resource_limits.deny) == 0 with input as t.pod(t.hardened_spec)
	count(no_resource_limits.deny) == 0 with input as t.pod(t.spec_with(t.container({"resources": {"limits": {"cpu": 2, "memory": "512Mi"}}})))
}
