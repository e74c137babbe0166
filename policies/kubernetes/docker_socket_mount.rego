# METADATA
# scope: package
# title: Pod mounts the container runtime socket
# description: >-
#   A hostPath volume whose path ends in docker.sock, containerd.sock or crio.sock hands the pod
#   the container runtime's API: whoever controls the pod can start privileged containers on the
#   node and read every other container.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
# custom:
#   id: k8s-docker-socket-mount
#   control: docker-socket-mount
#   severity: critical
#   theme: cluster
#   pss: baseline
#   remediation: Do not mount the container runtime socket; use the Kubernetes API with a narrowly scoped service account instead.
package posture.kubernetes.docker_socket_mount

import data.posture.lib.kubernetes as k8s

runtime_sockets := {"docker.sock", "containerd.sock", "crio.sock"}

deny contains result if {
	some i, volume in k8s.pod_spec.volumes
	path := volume.hostPath.path
	is_string(path)
	trimmed := trim_right(path, "/")
	some socket in runtime_sockets
	endswith(trimmed, socket)
	result := {
		"msg": sprintf("Volume '%v' mounts the container runtime socket '%s' from the host", [object.get(volume, "name", i), path]),
		"path": array.concat(k8s.pod_spec_path, ["volumes", i, "hostPath", "path"]),
	}
}
