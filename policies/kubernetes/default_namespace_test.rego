package posture.kubernetes.default_namespace_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.default_namespace

in_namespace(kind, ns) := json.patch(t.workload(kind, t.hardened_spec), [{"op": "replace", "path": "/metadata/namespace", "value": ns}])

without_namespace(kind) := json.patch(t.workload(kind, t.hardened_spec), [{"op": "remove", "path": "/metadata/namespace"}])

test_explicit_default[kind] if {
	some kind in t.kinds
	results := default_namespace.deny with input as in_namespace(kind, "default")
	count(results) == 1
	some r in results
	r.path == ["metadata", "namespace"]
}

test_omitted[kind] if {
	some kind in t.kinds
	results := default_namespace.deny with input as without_namespace(kind)
	count(results) == 1
	some r in results
	r.path == ["metadata"]
	contains(r.msg, "no metadata.namespace")
}

test_empty_namespace_is_default if {
	count(default_namespace.deny) == 1 with input as in_namespace("Pod", "")
}

test_no_metadata if {
	some r in default_namespace.deny with input as {"kind": "Pod", "spec": {"containers": []}}
	r.path == []
}

test_other_namespace_passes if {
	count(default_namespace.deny) == 0 with input as t.deployment(t.hardened_spec)
	count(default_namespace.deny) == 0 with input as in_namespace("Job", "defaults")
}

test_only_workloads if {
	count(default_namespace.deny) == 0 with input as {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {}}
	count(default_namespace.deny) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}}
}
