package posture.kubernetes.seccomp_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.seccomp

sc_plain := object.remove(t.hardened_security_context, ["seccompProfile"])

test_unset_everywhere_in_every_kind[kind] if {
	some kind in t.kinds
	spec := t.spec({"securityContext": {"runAsNonRoot": true}, "containers": [t.container_sc(sc_plain)]})
	results := seccomp.deny with input as t.workload(kind, spec)
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext"])
	r.container == "app"
}

test_allowed_types_pass[type] if {
	some type in ["RuntimeDefault", "Localhost"]
	count(seccomp.deny) == 0 with input as t.pod(t.spec({"securityContext": {"seccompProfile": {"type": type, "localhostProfile": "profiles/app.json"}}, "containers": [t.container_sc(sc_plain)]}))
	count(seccomp.deny) == 0 with input as t.pod(t.spec({"securityContext": {}, "containers": [t.container_sc(object.union(sc_plain, {"seccompProfile": {"type": type}}))]}))
}

test_unconfined_on_container if {
	spec := t.spec({"containers": [t.container_sc(object.union(sc_plain, {"seccompProfile": {"type": "Unconfined"}}))]})
	results := seccomp.deny with input as t.pod(spec)
	count(results) == 1
	some r in results
	r.path == ["spec", "containers", 0, "securityContext", "seccompProfile", "type"]
	contains(r.msg, "Unconfined")
}

test_unconfined_on_pod_reaches_every_container_without_its_own if {
	spec := t.spec({
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [t.container_sc(sc_plain), t.container({"name": "own", "securityContext": object.union(sc_plain, {"seccompProfile": {"type": "RuntimeDefault"}})})],
	})
	results := seccomp.deny with input as t.deployment(spec)
	t.containers_of(results) == {"app"}
	t.paths(results) == {t.path("Deployment", ["securityContext", "seccompProfile", "type"])}
}

test_container_unconfined_overrides_pod_runtime_default if {
	spec := t.spec({"containers": [t.container_sc(object.union(sc_plain, {"seccompProfile": {"type": "Unconfined"}}))]})
	count(seccomp.deny) == 1 with input as t.pod(spec)
}

test_profile_without_type if {
	spec := t.spec({"securityContext": {}, "containers": [t.container_sc(object.union(sc_plain, {"seccompProfile": {}}))]})
	some r in seccomp.deny with input as t.pod(spec)
	r.path == ["spec", "containers", 0, "securityContext", "seccompProfile"]
	contains(r.msg, "unset")
}

test_init_and_ephemeral if {
	spec := t.spec({
		"securityContext": {},
		"initContainers": [t.container({"name": "init", "securityContext": sc_plain})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc_plain})],
	})
	t.containers_of(seccomp.deny) == {"init", "debug"} with input as t.pod(spec)
}

test_windows_pods_exempt if {
	spec := t.spec({"os": {"name": "windows"}, "securityContext": {}, "containers": [t.container_sc(sc_plain)]})
	count(seccomp.deny) == 0 with input as t.pod(spec)
}
