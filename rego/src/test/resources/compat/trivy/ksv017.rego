# METADATA
# title: Privileged container
# description: Privileged containers share namespaces with the host system.
# scope: package
# schemas:
#   - input: schema["kubernetes"]
# custom:
#   id: KSV017
#   avd_id: AVD-KSV-0017
#   severity: HIGH
#   recommended_action: Change 'containers[].securityContext.privileged' to 'false'.
package builtin.kubernetes.KSV017

import rego.v1

import data.lib.kubernetes

default failPrivileged := false

getPrivilegedContainers contains container if {
	container := kubernetes.containers[_]
	container.securityContext.privileged == true
}

severity(c) := "CRITICAL" if {
	c.name == "root"
}

severity(c) := "HIGH" if {
	c.name != "root"
}

result(msg, c) := {"msg": msg, "severity": severity(c), "id": rego.metadata.chain()[1].annotations.custom.id}

deny contains res if {
	some c in getPrivilegedContainers
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.privileged' to false", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := result(msg, c)
}
