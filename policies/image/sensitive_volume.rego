# METADATA
# scope: package
# title: Volume declared over a sensitive path
# description: >-
#   The image declares a VOLUME at /proc, /sys or /dev or below them, at / (which holds all three),
#   or at a container runtime socket (docker.sock, containerd.sock, crio.sock, podman.sock, e.g.
#   /var/run/docker.sock). Such a declaration says the image expects the host's kernel interfaces,
#   devices or runtime to be mounted there, and a runtime that honours it gives the container
#   control of the host (the Docker socket is root on the host). Paths are compared after collapsing
#   repeated slashes and removing a trailing one. One finding per volume.
# related_resources:
#   - ref: https://docs.docker.com/reference/dockerfile/#volume
#   - ref: https://www.cisecurity.org/benchmark/docker
# custom:
#   id: img-sensitive-volume
#   control: sensitive-volume
#   severity: medium
#   theme: runtime
#   remediation: Remove the VOLUME instruction; mount only the specific host data a container needs, read-only where possible, and never the runtime socket.
package posture.image.sensitive_volume

import data.posture.lib.image as img

deny contains {"msg": msg, "key": sprintf("config.Volumes.%s", [v])} if {
	some v in img.array_or_empty(img.config_field("volumes"))
	is_string(v)
	reason := sensitive(img.clean_path(v))
	msg := sprintf("VOLUME %s is declared over %s", [v, reason])
}

kernel_dirs := {
	"/proc": "/proc (kernel and process information)",
	"/sys": "/sys (kernel settings and devices)",
	"/dev": "/dev (device nodes)",
}

runtime_sockets := {"docker.sock", "containerd.sock", "crio.sock", "podman.sock"}

sensitive("/") := "the whole filesystem, /proc, /sys and /dev included"

sensitive(p) := kernel_dirs[d] if {
	p != "/"
	some d, _ in kernel_dirs
	img.under(p, d)
}

sensitive(p) := sprintf("a container runtime socket (%s): whoever mounts it there gives the container control of the host", [img.basename(p)]) if {
	p != "/"
	runtime_sockets[img.basename(p)]
	not kernel_path(p)
}

kernel_path(p) if {
	some d, _ in kernel_dirs
	img.under(p, d)
}
