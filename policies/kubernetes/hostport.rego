# METADATA
# scope: package
# title: Container binds a host port
# description: >-
#   A non-zero hostPort binds the port on the node's own network interfaces, bypassing Services and
#   NetworkPolicies and pinning the pod to nodes where the port is free. Pod Security Standards
#   baseline forbids it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-hostport
#   control: hostport
#   severity: medium
#   theme: network
#   pss: baseline
#   remediation: Remove hostPort and expose the container through a Service.
package posture.kubernetes.hostport

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.pod_containers
	some j, port in entry.container.ports
	host_port := port.hostPort
	host_port != null
	host_port != 0
	host_port != "0"
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' binds host port %v", [name, host_port]),
		"path": array.concat(entry.path, ["ports", j, "hostPort"]),
		"container": name,
	}
}
