# Test copy of the contract's helper library (the real one is policies/kubernetes/lib/kubernetes.rego).
package lib.kubernetes

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}

is_workload if input.kind in workload_kinds

pod_spec_path := ["spec"] if input.kind == "Pod"

pod_spec_path := ["spec", "template", "spec"] if input.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod_spec_path := ["spec", "jobTemplate", "spec", "template", "spec"] if input.kind == "CronJob"

pod_spec := object.get(input, pod_spec_path, {})

containers contains {"container": c, "type": type, "index": i, "path": array.concat(pod_spec_path, [type, i])} if {
	some type in ["initContainers", "containers", "ephemeralContainers"]
	some i, c in object.get(pod_spec, type, [])
}

namespace := object.get(input.metadata, "namespace", "default")
