# METADATA
# scope: package
# title: Container has no CPU or memory limit
# description: >-
#   An init or regular container without limits.cpu and limits.memory can starve the other pods of
#   its node (a noisy neighbour, or a denial of service after compromise). Ephemeral containers
#   cannot set resources and are not checked.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: k8s-no-resource-limits
#   control: no-resource-limits
#   severity: low
#   theme: cluster
#   pss: none
#   remediation: Set resources.limits.cpu and resources.limits.memory on every container (a LimitRange can default them).
package posture.kubernetes.no_resource_limits

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.pod_containers
	limits := object.get(entry.container, ["resources", "limits"], null)
	missing := [r | some r in ["cpu", "memory"]; not has_limit(limits, r)]
	count(missing) > 0
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' has no %s limit", [name, concat(" or ", missing)]),
		"path": closest_path(entry),
		"container": name,
	}
}

has_limit(limits, resource) if {
	value := limits[resource]
	value != null
	value != ""
}

closest_path(entry) := array.concat(entry.path, ["resources", "limits"]) if {
	is_object(entry.container.resources.limits)
} else := array.concat(entry.path, ["resources"]) if {
	is_object(entry.container.resources)
} else := entry.path
