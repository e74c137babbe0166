package posture.kubernetes.service_nodeport_test

import data.posture.kubernetes.service_nodeport

service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "shop", "namespace": "shop"}, "spec": {"type": type, "selector": {"app": "shop"}, "ports": [{"port": 80}]}}

test_node_port if {
	results := service_nodeport.deny with input as service("NodePort")
	count(results) == 1
	some r in results
	r.path == ["spec", "type"]
	not r.container
}

test_other_types_pass[type] if {
	some type in ["ClusterIP", "LoadBalancer", "ExternalName", null, "nodeport"]
	count(service_nodeport.deny) == 0 with input as service(type)
}

test_only_services if {
	count(service_nodeport.deny) == 0 with input as {"kind": "Ingress", "metadata": {"name": "i"}, "spec": {"type": "NodePort"}}
}
