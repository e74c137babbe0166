# METADATA
# scope: package
# title: Pod sets an unsafe sysctl
# description: >-
#   A pod sysctl outside the Pod Security Standards safe set can change kernel behaviour for the
#   whole node or weaken isolation between pods. Pod Security Standards baseline allows only the
#   namespaced, isolated ones.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - ref: https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
# custom:
#   id: k8s-sysctls-unsafe
#   control: sysctls-unsafe
#   severity: medium
#   theme: cluster
#   pss: baseline
#   remediation: Remove the sysctl from spec.securityContext.sysctls, or set it on the node.
package posture.kubernetes.sysctls_unsafe

import data.posture.lib.kubernetes as k8s

# The safe set of pod-security-admission's latest policy version.
safe := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
	"net.ipv4.tcp_slow_start_after_idle",
	"net.ipv4.tcp_notsent_lowat",
}

deny contains result if {
	some i, sysctl in k8s.pod_spec.securityContext.sysctls
	name := object.get(sysctl, "name", null)
	not safe[name]
	result := {
		"msg": sprintf("Pod sets sysctl %v, outside the safe set", [name]),
		"path": array.concat(k8s.pod_spec_path, ["securityContext", "sysctls", i, "name"]),
	}
}
