package posture.image.sensitive_volume_test

import data.posture.lib.image.testing as t
import data.posture.image.sensitive_volume

with_volumes(v) := t.with_config({"volumes": v})

test_kernel_paths[v] if {
	some v in ["/proc", "/sys", "/dev", "/proc/1", "/sys/fs/cgroup", "/dev/shm", "/proc/", "//sys"]
	results := sensitive_volume.deny with input as with_volumes(["/data", v])
	count(results) == 1
	some r in results
	r.key == sprintf("config.Volumes.%s", [v])
	contains(r.msg, sprintf("VOLUME %s is declared over /", [v]))
}

test_root if {
	some r in sensitive_volume.deny with input as with_volumes(["/"])
	r.key == "config.Volumes./"
	r.msg == "VOLUME / is declared over the whole filesystem, /proc, /sys and /dev included"
}

test_runtime_sockets[v] if {
	some v in ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/podman/podman.sock"]
	results := sensitive_volume.deny with input as with_volumes([v])
	count(results) == 1
	some r in results
	contains(r.msg, "container runtime socket")
}

test_ordinary_volumes_pass[v] if {
	some v in ["/data", "/var/lib/postgresql/data", "/procedures", "/system", "/devices", "/var/run", "/app/dev", "/var/lib/docker"]
	count(sensitive_volume.deny) == 0 with input as with_volumes([v])
}

test_no_volumes if {
	count(sensitive_volume.deny) == 0 with input as with_volumes([])
	count(sensitive_volume.deny) == 0 with input as with_volumes(null)
}

test_one_per_volume if {
	results := sensitive_volume.deny with input as with_volumes(["/proc", "/sys", "/data"])
	t.keys(results) == {"config.Volumes./proc", "config.Volumes./sys"}
}
