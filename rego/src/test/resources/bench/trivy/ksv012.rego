# METADATA
# title: Runs as root user
# description: Runs as root user (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV012
#   severity: MEDIUM
#   recommended_action: See the title.
package builtin.kubernetes.KSV012

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	not runs_as_non_root(c)
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should set 'securityContext.runAsNonRoot' to true", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}

runs_as_non_root(c) if c.securityContext.runAsNonRoot == true

runs_as_non_root(c) if {
	not has_key(c, "securityContext", "runAsNonRoot")
	kubernetes.pod_spec.securityContext.runAsNonRoot == true
}

has_key(c, a, b) if object.get(c, [a, b], null) != null
