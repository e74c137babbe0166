package posture.kubernetes.secret_ref_in_env_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.secret_ref_in_env

test_secret_key_ref[kind] if {
	some kind in t.kinds
	env := [{"name": "LOG_LEVEL", "value": "info"}, {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]
	results := secret_ref_in_env.deny with input as t.workload(kind, t.spec_with(t.container({"env": env})))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "env", 1, "valueFrom", "secretKeyRef"])
	r.container == "app"
	contains(r.msg, "Secret 'db'")
}

test_env_from_secret_ref if {
	c := t.container({"envFrom": [{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "api-keys"}, "prefix": "API_"}]})
	results := secret_ref_in_env.deny with input as t.pod(t.spec_with(c))
	count(results) == 1
	some r in results
	r.path == ["spec", "containers", 0, "envFrom", 1, "secretRef"]
	contains(r.msg, "'api-keys'")
}

test_init_and_ephemeral if {
	env := [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "t", "key": "k"}}}]
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "env": env})],
		"ephemeralContainers": [t.container({"name": "debug", "envFrom": [{"secretRef": {"name": "s"}}]})],
	})
	t.containers_of(secret_ref_in_env.deny) == {"init", "debug"} with input as t.cronjob(spec)
}

test_other_sources_pass if {
	env := [
		{"name": "A", "value": "x"},
		{"name": "B", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "b"}}},
		{"name": "C", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
		{"name": "D", "valueFrom": {"secretKeyRef": null}},
	]
	count(secret_ref_in_env.deny) == 0 with input as t.pod(t.spec_with(t.container({"env": env, "envFrom": [{"configMapRef": {"name": "cfg"}}]})))
}
