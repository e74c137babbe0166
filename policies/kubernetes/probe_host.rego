# METADATA
# scope: package
# title: Probe or lifecycle handler targets another host
# description: >-
#   A probe or lifecycle handler with httpGet.host or tcpSocket.host makes the kubelet connect to an
#   arbitrary address from the node, which can reach node-local and internal services. Pod Security
#   Standards baseline forbids setting the host.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-probe-host
#   control: probe-host
#   severity: medium
#   theme: network
#   pss: baseline
#   remediation: Remove the host field so that the probe or handler targets the pod's own IP.
package posture.kubernetes.probe_host

import data.posture.lib.kubernetes as k8s

handlers := [
	["livenessProbe"],
	["readinessProbe"],
	["startupProbe"],
	["lifecycle", "postStart"],
	["lifecycle", "preStop"],
]

deny contains result if {
	some entry in k8s.containers
	some handler in handlers
	h := object.get(entry.container, handler, null)
	is_object(h)
	some action in ["httpGet", "tcpSocket"]
	host := h[action].host
	is_string(host)
	host != ""
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' %s %s targets host '%s'", [name, concat(".", handler), action, host]),
		"path": array.concat(array.concat(entry.path, handler), [action, "host"]),
		"container": name,
	}
}
