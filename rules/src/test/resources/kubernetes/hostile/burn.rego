# METADATA
# scope: package
# title: Burns steps on a resource named "hostile"
# custom:
#   id: k8s-burn
#   control: burn
#   severity: low
#   theme: cluster
package posture.kubernetes.burn

deny contains result if {
	input.metadata.name == "hostile"
	some i in numbers.range(1, 3000)
	some j in numbers.range(1, 3000)
	i == j + 100000
	result := {"msg": "never", "path": []}
}
