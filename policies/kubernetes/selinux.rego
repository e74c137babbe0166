# METADATA
# scope: package
# title: SELinux options outside the allowed container types
# description: >-
#   seLinuxOptions.type other than container_t, container_init_t, container_kvm_t or
#   container_engine_t, or any custom user or role, can label the container's processes with a
#   domain that is not confined like a container. Checked on the pod and every container. Pod
#   Security Standards baseline.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: k8s-selinux
#   control: selinux
#   severity: medium
#   theme: cluster
#   pss: baseline
#   remediation: Remove seLinuxOptions.user and .role, and use one of the container_* types (or leave the type unset).
package posture.kubernetes.selinux

import data.posture.lib.kubernetes as k8s

allowed_types := {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

# Each place that may carry seLinuxOptions: the pod and every container.
options contains {"options": o, "path": array.concat(k8s.pod_spec_path, ["securityContext", "seLinuxOptions"]), "who": "Pod"} if {
	o := k8s.pod_spec.securityContext.seLinuxOptions
	is_object(o)
}

options contains {"options": o, "path": array.concat(entry.path, ["securityContext", "seLinuxOptions"]), "who": sprintf("Container '%s'", [k8s.name(entry)]), "container": k8s.name(entry)} if {
	some entry in k8s.containers
	o := entry.container.securityContext.seLinuxOptions
	is_object(o)
}

deny contains result if {
	some place in options
	type := place.options.type
	type != null
	not allowed_types[type]
	result := with_container({
		"msg": sprintf("%s sets seLinuxOptions.type %v", [place.who, type]),
		"path": array.concat(place.path, ["type"]),
	}, place)
}

deny contains result if {
	some place in options
	some field in ["user", "role"]
	value := place.options[field]
	value != null
	value != ""
	result := with_container({
		"msg": sprintf("%s sets seLinuxOptions.%s %v", [place.who, field, value]),
		"path": array.concat(place.path, [field]),
	}, place)
}

with_container(result, place) := object.union(result, {"container": place.container}) if {
	place.container
} else := result
