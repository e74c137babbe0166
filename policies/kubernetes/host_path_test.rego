package posture.kubernetes.host_path_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.host_path

test_host_path_in_every_kind[kind] if {
	some kind in t.kinds
	spec := t.spec({"volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}, {"name": "logs", "hostPath": {"path": "/var/log"}}]})
	results := host_path.deny with input as t.workload(kind, spec)
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["volumes", 1, "hostPath"])
	contains(r.msg, "/var/log")
}

test_read_only_host_path_still_reported if {
	spec := t.spec({
		"containers": [t.container({"volumeMounts": [{"name": "logs", "mountPath": "/logs", "readOnly": true}]})],
		"volumes": [{"name": "logs", "hostPath": {"path": "/var/log", "type": "Directory"}}],
	})
	count(host_path.deny) == 1 with input as t.deployment(spec)
}

test_other_volumes_pass if {
	spec := t.spec({"volumes": [
		{"name": "a", "emptyDir": {}}, {"name": "b", "secret": {"secretName": "s"}},
		{"name": "c", "persistentVolumeClaim": {"claimName": "data"}}, {"name": "d", "hostPath": null},
	]})
	count(host_path.deny) == 0 with input as t.pod(spec)
}
