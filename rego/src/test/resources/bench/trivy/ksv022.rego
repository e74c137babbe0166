# METADATA
# title: Non-default capabilities added
# description: Non-default capabilities added (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV022
#   severity: MEDIUM
#   recommended_action: See the title.
package builtin.kubernetes.KSV022

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	some cap in c.securityContext.capabilities.add
	not upper(cap) in allowed
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should not add capabilities beyond the default set", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}

allowed := {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
