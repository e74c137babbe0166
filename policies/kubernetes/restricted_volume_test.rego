package posture.kubernetes.restricted_volume_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.restricted_volume

allowed_volumes := [
	{"name": "a", "configMap": {"name": "cfg"}},
	{"name": "b", "csi": {"driver": "secrets-store.csi.k8s.io"}},
	{"name": "c", "downwardAPI": {"items": []}},
	{"name": "d", "emptyDir": {}},
	{"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
	{"name": "f", "image": {"reference": "registry.example.com/models:1"}},
	{"name": "g", "persistentVolumeClaim": {"claimName": "data"}},
	{"name": "h", "projected": {"sources": []}},
	{"name": "i", "secret": {"secretName": "tls"}},
	{"name": "j"},
]

test_allowed_types_pass if {
	count(restricted_volume.deny) == 0 with input as t.deployment(t.spec({"volumes": allowed_volumes}))
}

test_restricted_types[type] if {
	some type in ["hostPath", "nfs", "gitRepo", "awsElasticBlockStore", "gcePersistentDisk", "iscsi", "cephfs", "rbd", "flexVolume", "azureDisk", "fc", "unknownPlugin"]
	results := restricted_volume.deny with input as t.workload("StatefulSet", t.spec({"volumes": [{"name": "v", type: {"path": "/x"}}]}))
	count(results) == 1
	some r in results
	r.path == t.path("StatefulSet", ["volumes", 0, type])
	contains(r.msg, type)
}

test_null_source_is_no_source if {
	count(restricted_volume.deny) == 0 with input as t.pod(t.spec({"volumes": [{"name": "v", "nfs": null, "emptyDir": {}}]}))
}

test_every_kind[kind] if {
	some kind in t.kinds
	count(restricted_volume.deny) == 1 with input as t.workload(kind, t.spec({"volumes": [{"name": "v", "nfs": {"server": "10.0.0.1", "path": "/"}}]}))
}
