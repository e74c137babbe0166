package posture.kubernetes.docker_socket_mount_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.docker_socket_mount

socket_spec(path) := t.spec({"volumes": [{"name": "sock", "hostPath": {"path": path}}]})

test_runtime_sockets[path] if {
	some path in [
		"/var/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/crio/crio.sock",
		"/var/run/docker.sock/", "/run/k3s/containerd/containerd.sock",
	]
	results := docker_socket_mount.deny with input as t.cronjob(socket_spec(path))
	count(results) == 1
	some r in results
	r.path == t.path("CronJob", ["volumes", 0, "hostPath", "path"])
}

test_other_host_paths_pass[path] if {
	some path in ["/var/run", "/var/log", "/var/run/docker.sock.d/config", "/etc/docker"]
	count(docker_socket_mount.deny) == 0 with input as t.pod(socket_spec(path))
}

test_socket_path_in_non_host_path_volume_passes if {
	spec := t.spec({"volumes": [{"name": "sock", "emptyDir": {}}], "containers": [t.container({"volumeMounts": [{"name": "sock", "mountPath": "/var/run/docker.sock"}]})]})
	count(docker_socket_mount.deny) == 0 with input as t.pod(spec)
}
