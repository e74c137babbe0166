# METADATA
# title: Runtime/Default seccomp profile not set
# description: Runtime/Default seccomp profile not set (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV030
#   severity: LOW
#   recommended_action: See the title.
package builtin.kubernetes.KSV030

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	not seccomp_ok(c)
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.seccompProfile.type' to 'RuntimeDefault'", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}

seccomp_ok(c) if c.securityContext.seccompProfile.type in {"RuntimeDefault", "Localhost"}

seccomp_ok(c) if {
	not c.securityContext.seccompProfile
	kubernetes.pod_spec.securityContext.seccompProfile.type in {"RuntimeDefault", "Localhost"}
}
