# METADATA
# title: Image tag ':latest' used
# description: Image tag ':latest' used (benchmark copy in the style of the Trivy Kubernetes checks).
# scope: package
# custom:
#   id: KSV013
#   severity: MEDIUM
#   recommended_action: See the title.
package builtin.kubernetes.KSV013

import rego.v1

import data.lib.kubernetes

failing contains c if {
	some c in kubernetes.containers
	uses_latest(c.image)
}

deny contains res if {
	some c in failing
	msg := sprintf("Container '%s' of %s '%s' should specify an image tag", [c.name, lower(kubernetes.kind), kubernetes.name])
	res := kubernetes.format(msg, rego.metadata.chain()[1].annotations.custom.id)
}

uses_latest(image) if endswith(image, ":latest")

uses_latest(image) if {
	not contains(image, "@")
	parts := split(image, "/")
	not contains(parts[count(parts) - 1], ":")
}
