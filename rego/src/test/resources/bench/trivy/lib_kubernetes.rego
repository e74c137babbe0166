package lib.kubernetes

import rego.v1

default is_gatekeeper := false

is_gatekeeper if {
	has_field(input, "review")
	has_field(input.review, "object")
}

obj := input.review.object if is_gatekeeper

obj := input if not is_gatekeeper

has_field(obj, field) if {
	obj[field]
}

pod_spec := obj.spec if obj.kind == "Pod"

pod_spec := obj.spec.template.spec if obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec := obj.spec.jobTemplate.spec.template.spec if obj.kind == "CronJob"

containers contains c if {
	some c in pod_spec.containers
}

containers contains c if {
	some c in pod_spec.initContainers
}

volumes := object.get(pod_spec, "volumes", [])

name := obj.metadata.name

kind := obj.kind

format(msg, id) := {"msg": msg, "id": id, "kind": kind, "name": name}
