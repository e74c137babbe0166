package posture.kubernetes.run_as_root_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.run_as_root

sc_plain := object.remove(t.hardened_security_context, ["runAsNonRoot", "runAsUser"])

test_unset_everywhere_in_every_kind[kind] if {
	some kind in t.kinds
	spec := t.spec({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [t.container_sc(sc_plain)]})
	results := run_as_root.deny with input as t.workload(kind, spec)
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext"])
	r.container == "app"
}

test_pod_level_true_covers_containers if {
	spec := t.spec({"securityContext": {"runAsNonRoot": true}, "containers": [t.container_sc(sc_plain)]})
	count(run_as_root.deny) == 0 with input as t.deployment(spec)
}

test_container_false_overrides_pod_true if {
	spec := t.spec({"securityContext": {"runAsNonRoot": true}, "containers": [t.container_sc(object.union(sc_plain, {"runAsNonRoot": false}))]})
	results := run_as_root.deny with input as t.deployment(spec)
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "securityContext", "runAsNonRoot"])
}

test_container_true_overrides_pod_false if {
	spec := t.spec({"securityContext": {"runAsNonRoot": false}, "containers": [t.container_sc(object.union(sc_plain, {"runAsNonRoot": true}))]})
	count(run_as_root.deny) == 0 with input as t.pod(spec)
}

test_pod_false_reported_per_container_at_the_pod_field if {
	spec := t.spec({"securityContext": {"runAsNonRoot": false}, "containers": [t.container_sc(sc_plain), t.container({"name": "side", "securityContext": sc_plain})]})
	results := run_as_root.deny with input as t.pod(spec)
	t.containers_of(results) == {"app", "side"}
	t.paths(results) == {["spec", "securityContext", "runAsNonRoot"]}
}

test_run_as_user_zero_container if {
	spec := t.spec({"containers": [t.container_sc(object.union(t.hardened_security_context, {"runAsUser": 0}))]})
	results := run_as_root.deny with input as t.pod(spec)
	count(results) == 1
	some r in results
	r.path == ["spec", "containers", 0, "securityContext", "runAsUser"]
	contains(r.msg, "UID 0")
}

test_run_as_user_zero_pod_level_effective if {
	spec := t.spec({"securityContext": {"runAsNonRoot": true, "runAsUser": 0}, "containers": [t.container_sc(sc_plain)]})
	some r in run_as_root.deny with input as t.cronjob(spec)
	r.path == t.path("CronJob", ["securityContext", "runAsUser"])
}

test_pod_uid_zero_overridden_by_container_uid if {
	# "effective runAsUser": the container's non-zero UID wins over the pod's 0.
	spec := t.spec({"securityContext": {"runAsNonRoot": true, "runAsUser": 0}, "containers": [t.container_sc(object.union(sc_plain, {"runAsUser": 1000}))]})
	count(run_as_root.deny) == 0 with input as t.pod(spec)
}

test_init_and_ephemeral if {
	spec := t.spec({
		"securityContext": {},
		"containers": [t.hardened_container],
		"initContainers": [t.container({"name": "init", "securityContext": sc_plain})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc_plain})],
	})
	t.containers_of(run_as_root.deny) == {"init", "debug"} with input as t.pod(spec)
}

test_user_namespace_exempt if {
	spec := t.spec({"hostUsers": false, "securityContext": {"runAsUser": 0}, "containers": [t.container_sc(object.union(sc_plain, {"runAsUser": 0}))]})
	count(run_as_root.deny) == 0 with input as t.pod(spec)
	count(run_as_root.deny) == 2 with input as t.pod(object.union(spec, {"hostUsers": true}))
}

test_hardened_passes if {
	count(run_as_root.deny) == 0 with input as t.pod(t.hardened_spec)
}
