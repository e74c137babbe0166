package posture.kubernetes.sysctls_unsafe_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.sysctls_unsafe

with_sysctls(names) := t.spec({"securityContext": {
	"runAsNonRoot": true,
	"seccompProfile": {"type": "RuntimeDefault"},
	"sysctls": [{"name": n, "value": "1"} | some n in names],
}})

test_safe_set_passes if {
	names := [
		"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
		"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
		"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
		"net.ipv4.tcp_keepalive_probes",
	]
	count(sysctls_unsafe.deny) == 0 with input as t.pod(with_sysctls(names))
}

test_unsafe[name] if {
	some name in ["kernel.msgmax", "net.core.somaxconn", "vm.swappiness", "kernel.sem", "net.ipv4.ip_forward", "KERNEL.SHM_RMID_FORCED"]
	results := sysctls_unsafe.deny with input as t.deployment(with_sysctls(["net.ipv4.tcp_syncookies", name]))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["securityContext", "sysctls", 1, "name"])
	contains(r.msg, name)
}

test_every_kind[kind] if {
	some kind in t.kinds
	count(sysctls_unsafe.deny) == 1 with input as t.workload(kind, with_sysctls(["kernel.msgmax"]))
}

test_no_sysctls_passes if {
	count(sysctls_unsafe.deny) == 0 with input as t.pod(t.hardened_spec)
	count(sysctls_unsafe.deny) == 0 with input as t.pod(with_sysctls([]))
}
