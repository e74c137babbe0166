package posture.kubernetes.probe_host_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.probe_host

test_probe_hosts[handler] if {
	some handler in [
		["livenessProbe", "httpGet"], ["readinessProbe", "httpGet"], ["startupProbe", "httpGet"],
		["livenessProbe", "tcpSocket"], ["readinessProbe", "tcpSocket"], ["startupProbe", "tcpSocket"],
	]
	c := t.container({handler[0]: {handler[1]: {"host": "169.254.169.254", "port": 80}}})
	results := probe_host.deny with input as t.deployment(t.spec_with(c))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, handler[0], handler[1], "host"])
	r.container == "app"
}

test_lifecycle_hosts[handler] if {
	some handler in [["postStart", "httpGet"], ["preStop", "httpGet"], ["postStart", "tcpSocket"], ["preStop", "tcpSocket"]]
	c := t.container({"lifecycle": {handler[0]: {handler[1]: {"host": "10.0.0.1", "port": 8080}}}})
	results := probe_host.deny with input as t.pod(t.spec_with(c))
	count(results) == 1
	some r in results
	r.path == ["spec", "containers", 0, "lifecycle", handler[0], handler[1], "host"]
}

test_init_and_ephemeral_containers if {
	c := {"livenessProbe": {"httpGet": {"host": "internal.example", "path": "/", "port": 80}}}
	spec := t.spec({
		"initContainers": [t.container(object.union(c, {"name": "init"}))],
		"ephemeralContainers": [t.container(object.union(c, {"name": "debug"}))],
	})
	t.containers_of(probe_host.deny) == {"init", "debug"} with input as t.pod(spec)
}

test_probes_without_host_pass if {
	c := t.container({
		"livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
		"readinessProbe": {"tcpSocket": {"port": 8080, "host": ""}},
		"startupProbe": {"exec": {"command": ["true"]}},
		"lifecycle": {"preStop": {"httpGet": {"path": "/drain", "port": 8080}}},
	})
	count(probe_host.deny) == 0 with input as t.pod(t.spec_with(c))
}

test_cronjob_path if {
	c := t.container({"readinessProbe": {"httpGet": {"host": "example.com", "port": 80}}})
	some r in probe_host.deny with input as t.cronjob(t.spec_with(c))
	r.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "host"]
}
