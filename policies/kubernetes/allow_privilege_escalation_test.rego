package posture.kubernetes.allow_privilege_escalation_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.allow_privilege_escalation

sc_without_ape := object.remove(t.hardened_security_context, ["allowPrivilegeEscalation"])

test_explicit_true if {
	results := allow_privilege_escalation.deny with input as t.deployment(t.spec_with(t.container_sc(object.union(sc_without_ape, {"allowPrivilegeEscalation": true}))))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "securityContext", "allowPrivilegeEscalation"])
	contains(r.msg, "true")
}

test_unset_is_reported[kind] if {
	some kind in t.kinds
	results := allow_privilege_escalation.deny with input as t.workload(kind, t.spec_with(t.container_sc(sc_without_ape)))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext"])
	r.container == "app"
}

test_null_is_unset if {
	count(allow_privilege_escalation.deny) == 1 with input as t.pod(t.spec_with(t.container_sc(object.union(sc_without_ape, {"allowPrivilegeEscalation": null}))))
}

test_no_security_context_points_at_container if {
	some r in allow_privilege_escalation.deny with input as t.pod(t.spec_with(object.remove(t.hardened_container, ["securityContext"])))
	r.path == ["spec", "containers", 0]
}

test_explicit_false_passes if {
	count(allow_privilege_escalation.deny) == 0 with input as t.pod(t.hardened_spec)
}

test_init_and_ephemeral if {
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "securityContext": sc_without_ape})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc_without_ape})],
	})
	t.containers_of(allow_privilege_escalation.deny) == {"init", "debug"} with input as t.pod(spec)
}

test_pod_level_field_does_not_exist if {
	# allowPrivilegeEscalation exists only on containers; a pod-level value does not count.
	spec := t.spec({"securityContext": {"allowPrivilegeEscalation": false}, "containers": [t.container_sc(sc_without_ape)]})
	count(allow_privilege_escalation.deny) == 1 with input as t.pod(spec)
}

test_windows_pods_exempt if {
	spec := t.spec({"os": {"name": "windows"}, "containers": [t.container_sc(sc_without_ape)]})
	count(allow_privilege_escalation.deny) == 0 with input as t.pod(spec)
}
