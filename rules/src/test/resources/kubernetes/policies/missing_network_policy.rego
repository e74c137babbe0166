# METADATA
# scope: package
# title: Workload not covered by any NetworkPolicy
# custom:
#   id: k8s-missing-network-policy
#   control: missing-network-policy
#   severity: medium
#   theme: network
#   pss: none
#   remediation: Add a NetworkPolicy selecting the workload's pods.
package posture.kubernetes.missing_network_policy

import data.lib.kubernetes

pod_labels := object.get(input, ["spec", "template", "metadata", "labels"], {}) if input.kind != "Pod"

pod_labels := object.get(input, ["metadata", "labels"], {}) if input.kind == "Pod"

selects(np) if {
	sel := object.get(np, ["spec", "podSelector", "matchLabels"], {})
	every k, v in sel {
		pod_labels[k] == v
	}
}

covered if {
	some np in object.get(data.posture.inventory, [kubernetes.namespace, "NetworkPolicy"], {})
	selects(np)
}

deny contains result if {
	kubernetes.is_workload
	input.kind != "Job"
	not covered
	result := {"msg": sprintf("%s %s is not selected by any NetworkPolicy in namespace %s", [input.kind, input.metadata.name, kubernetes.namespace]), "path": []}
}
