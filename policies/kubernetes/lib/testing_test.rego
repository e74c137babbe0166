# Builders shared by the Kubernetes policy tests (a *_test.rego file, so it is not shipped).
package posture.lib.kubernetes.testing

kinds := ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"]

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

api_versions := {
	"Pod": "v1", "ReplicationController": "v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1",
	"DaemonSet": "apps/v1", "ReplicaSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1",
}

labels := {"app": "shop", "tier": "web"}

metadata := {"name": "shop", "namespace": "shop", "labels": labels}

digest := "sha256:9b2a1c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

# A container that passes every container-level control.
hardened_container := {
	"name": "app",
	"image": concat("@", ["registry.example.com/shop/app:1.4.2", digest]),
	"securityContext": hardened_security_context,
	"resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
}

hardened_security_context := {
	"allowPrivilegeEscalation": false,
	"readOnlyRootFilesystem": true,
	"runAsNonRoot": true,
	"runAsUser": 10001,
	"capabilities": {"drop": ["ALL"]},
	"seccompProfile": {"type": "RuntimeDefault"},
}

# A pod spec that passes every pod-level and container-level control.
hardened_spec := {
	"automountServiceAccountToken": false,
	"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
	"containers": [hardened_container],
}

# base with the top-level keys of patch replaced (not merged: object.union merges recursively).
replace(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

# The hardened container with some fields replaced.
container(patch) := replace(hardened_container, patch)

# The hardened container with its securityContext replaced.
container_sc(sc) := replace(hardened_container, {"securityContext": sc})

# The hardened spec with some fields replaced.
spec(patch) := replace(hardened_spec, patch)

# The hardened spec with one (regular) container.
spec_with(c) := replace(hardened_spec, {"containers": [c]})

workload("Pod", pod_spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": pod_spec}

workload(kind, pod_spec) := {
	"apiVersion": api_versions[kind],
	"kind": kind,
	"metadata": metadata,
	"spec": {
		"selector": {"matchLabels": labels},
		"template": {"metadata": {"labels": labels}, "spec": pod_spec},
	},
} if template_kinds[kind]

workload("CronJob", pod_spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": metadata,
	"spec": {
		"schedule": "*/5 * * * *",
		"jobTemplate": {"spec": {"template": {"metadata": {"labels": labels}, "spec": pod_spec}}},
	},
}

pod(pod_spec) := workload("Pod", pod_spec)

deployment(pod_spec) := workload("Deployment", pod_spec)

cronjob(pod_spec) := workload("CronJob", pod_spec)

# Path of the pod spec per kind.
spec_path(kind) := data.posture.lib.kubernetes.pod_spec_paths[kind]

# Path below the pod spec of a kind.
path(kind, rest) := array.concat(spec_path(kind), rest)

# Paths of a deny set.
paths(results) := {r.path | some r in results}

# Containers named in a deny set.
containers_of(results) := {r.container | some r in results}

# An inventory holding a ServiceAccount and a NetworkPolicy for the hardened workloads.
inventory := {"shop": {
	"ServiceAccount": {"default": {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "shop"}, "automountServiceAccountToken": false}},
	"NetworkPolicy": {"default-deny": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}},
}}

# Path to the pod template's annotations per kind.
data_path(kind) := array.concat(data.posture.lib.kubernetes.pod_metadata_paths[kind], ["annotations"])

statefulset(pod_spec) := workload("StatefulSet", pod_spec)
