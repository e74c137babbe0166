package lib.kubernetes

import rego.v1

default is_gatekeeper := false

is_gatekeeper if {
	has_field(input, "review")
	has_field(input.review, "object")
}

object := input.review.object if is_gatekeeper

object := input if not is_gatekeeper

has_field(obj, field) if {
	obj[field]
}

containers contains c if {
	some c in object.spec.containers
}

containers contains c if {
	some c in object.spec.template.spec.containers
}

name := object.metadata.name

kind := object.kind
