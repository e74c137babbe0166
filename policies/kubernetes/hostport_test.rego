package posture.kubernetes.hostport_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.hostport

test_host_port_in_every_kind[kind] if {
	some kind in t.kinds
	spec := t.spec_with(t.container({"ports": [{"containerPort": 8080}, {"containerPort": 8443, "hostPort": 443}]}))
	results := hostport.deny with input as t.workload(kind, spec)
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "ports", 1, "hostPort"])
	r.container == "app"
	contains(r.msg, "443")
}

test_init_container_host_port if {
	spec := t.spec({"initContainers": [t.container({"name": "init", "ports": [{"containerPort": 53, "hostPort": 53, "protocol": "UDP"}]})]})
	results := hostport.deny with input as t.pod(spec)
	t.containers_of(results) == {"init"}
}

test_zero_or_missing_host_port_passes if {
	spec := t.spec_with(t.container({"ports": [{"containerPort": 8080, "hostPort": 0}, {"containerPort": 9090}]}))
	count(hostport.deny) == 0 with input as t.pod(spec)
}

# CONTROLS.md: "an init or regular container port" (the API forbids ports on ephemeral containers).
test_ephemeral_container_not_checked if {
	spec := t.spec({"ephemeralContainers": [t.container({"name": "debug", "ports": [{"containerPort": 80, "hostPort": 80}]})]})
	count(hostport.deny) == 0 with input as t.pod(spec)
}
