# METADATA
# scope: package
# title: Service of type NodePort
# description: >-
#   A NodePort Service opens its port on every node of the cluster, bypassing the load balancer or
#   ingress in front of it and any firewalling that assumes only they are reachable.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
# custom:
#   id: k8s-service-nodeport
#   control: service-nodeport
#   severity: medium
#   theme: network
#   pss: none
#   remediation: Use a ClusterIP Service behind an Ingress or Gateway, or a LoadBalancer with restricted source ranges.
package posture.kubernetes.service_nodeport

import data.posture.lib.kubernetes as k8s

deny contains result if {
	input.kind == "Service"
	input.spec.type == "NodePort"
	result := {
		"msg": sprintf("Service '%s' is of type NodePort: its ports are open on every node", [k8s.resource_name]),
		"path": ["spec", "type"],
	}
}
