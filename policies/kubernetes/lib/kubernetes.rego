# METADATA
# scope: package
# title: Kubernetes helpers shared by the built-in policies
# description: >-
#   Workload kinds, the pod spec and pod template metadata of every workload kind with their
#   field paths, every container (init, regular and ephemeral) with its path, effective
#   security-context values (container over pod), the namespace with its default, Windows and
#   user-namespace pods, image reference parsing and label-selector matching.
package posture.lib.kubernetes

# Kinds whose objects carry a pod spec, and the path to it from the resource's root.
pod_spec_paths := {
	"Pod": ["spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# Path to the pod template's metadata (labels, annotations) per workload kind.
pod_metadata_paths := {
	"Pod": ["metadata"],
	"Deployment": ["spec", "template", "metadata"],
	"StatefulSet": ["spec", "template", "metadata"],
	"DaemonSet": ["spec", "template", "metadata"],
	"ReplicaSet": ["spec", "template", "metadata"],
	"ReplicationController": ["spec", "template", "metadata"],
	"Job": ["spec", "template", "metadata"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "metadata"],
}

# Kinds that have no namespace (their identity is Kind//name).
cluster_scoped_kinds := {
	"Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
	"CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
	"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "CSIDriver",
}

# The three lists of containers in a pod spec, in PSA's visiting order.
container_types := ["initContainers", "containers", "ephemeralContainers"]

is_workload if pod_spec_paths[input.kind]

pod_spec_path := pod_spec_paths[input.kind]

# The pod spec of a workload; undefined for other kinds or when it is missing or not an object.
pod_spec := spec if {
	spec := object.get(input, pod_spec_path, null)
	is_object(spec)
}

pod_metadata_path := pod_metadata_paths[input.kind]

# The pod template's metadata ({} when absent).
pod_metadata := md if {
	md := object.get(input, pod_metadata_path, null)
	is_object(md)
} else := {}

# Labels of the pods the workload creates ({} when none).
pod_labels := labels if {
	labels := pod_metadata.labels
	is_object(labels)
} else := {}

# Annotations of the pods the workload creates ({} when none).
pod_annotations := annotations if {
	annotations := pod_metadata.annotations
	is_object(annotations)
} else := {}

# Every container of the pod: init, regular and ephemeral.
containers contains entry if {
	some type in container_types
	list := pod_spec[type]
	is_array(list)
	some i, c in list
	is_object(c)
	entry := {"container": c, "type": type, "index": i, "path": array.concat(pod_spec_path, [type, i])}
}

# Init and regular containers only (for the controls that exclude ephemeral containers).
pod_containers contains entry if {
	some entry in containers
	entry.type != "ephemeralContainers"
}

# The container's name for messages and results ("" when it has none).
name(entry) := n if {
	n := entry.container.name
	is_string(n)
} else := sprintf("%s[%d]", [entry.type, entry.index])

# Path to the container's securityContext when it exists, else to the container.
security_context_path(entry) := array.concat(entry.path, ["securityContext"]) if {
	is_object(entry.container.securityContext)
} else := entry.path

# Path to the pod's securityContext when it exists, else to the pod spec.
pod_security_context_path := array.concat(pod_spec_path, ["securityContext"]) if {
	is_object(pod_spec.securityContext)
} else := pod_spec_path

# The pod's securityContext ({} when absent).
pod_security_context := sc if {
	sc := pod_spec.securityContext
	is_object(sc)
} else := {}

# The effective value of a securityContext field for a container: the container's value if set
# (not null), else the pod-level value. Undefined when neither sets it.
effective_value(entry, field) := v if {
	v := entry.container.securityContext[field]
	v != null
} else := v if {
	v := pod_security_context[field]
	v != null
}

# The same with where it came from: {"value", "path" (of the field), "level" ("container"|"pod")}.
effective(entry, field) := {"value": v, "path": array.concat(entry.path, ["securityContext", field]), "level": "container"} if {
	v := entry.container.securityContext[field]
	v != null
} else := {"value": v, "path": array.concat(pod_spec_path, ["securityContext", field]), "level": "pod"} if {
	v := pod_security_context[field]
	v != null
}

# Windows pods (spec.os.name: windows) are exempt from some restricted controls.
is_windows if pod_spec.os.name == "windows"

# Pods in a user namespace (spec.hostUsers: false).
in_user_namespace if pod_spec.hostUsers == false

# The resource's namespace: metadata.namespace, "default" when omitted or empty.
namespace := ns if {
	ns := input.metadata.namespace
	is_string(ns)
	ns != ""
} else := "" if {
	cluster_scoped_kinds[input.kind]
} else := "default"

# The resource's name ("" when it has none).
resource_name := n if {
	n := input.metadata.name
	is_string(n)
} else := ""

# ---------------------------------------------------------------------------------------------
# Image references: [registry[:port]/]path[:tag][@algorithm:hex]
# ---------------------------------------------------------------------------------------------

# The part before the digest.
image_name(ref) := split(ref, "@")[0]

# The digest after "@", when it is well formed (algorithm ":" hex).
image_digest(ref) := d if {
	contains(ref, "@")
	parts := split(ref, "@")
	d := parts[count(parts) - 1]
	regex.match(`^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$`, d)
}

# A sha256 digest, the only one image-no-digest accepts.
has_sha256_digest(ref) if regex.match(`@sha256:[0-9a-fA-F]{64}$`, ref)

# The tag: after the last ":" of the last path component (a registry port sits in the first
# component, before a "/", and is never a tag). Undefined when there is no tag.
image_tag(ref) := tag if {
	components := split(image_name(ref), "/")
	last := components[count(components) - 1]
	contains(last, ":")
	parts := split(last, ":")
	tag := parts[count(parts) - 1]
	tag != ""
}

# ---------------------------------------------------------------------------------------------
# Label selectors (matchLabels AND matchExpressions; {} / null selects everything)
# ---------------------------------------------------------------------------------------------

selector_matches(selector, labels) if {
	selector == null
}

selector_matches(selector, labels) if {
	is_object(selector)
	match_labels_ok(selector, labels)
	every req in match_expressions(selector) {
		requirement_matches(req, labels)
	}
}

match_expressions(selector) := exprs if {
	exprs := selector.matchExpressions
	is_array(exprs)
} else := []

match_labels_ok(selector, labels) if {
	not "matchLabels" in object.keys(selector)
}

match_labels_ok(selector, labels) if {
	selector.matchLabels == null
}

match_labels_ok(selector, labels) if {
	is_object(selector.matchLabels)
	every k, v in selector.matchLabels {
		label_equals(labels, k, v)
	}
}

label_equals(labels, k, v) if {
	labels[k] == v
}

label_equals(labels, k, v) if {
	labels[k] != v
	format_label(labels[k]) == format_label(v)
}

format_label(x) := x if {
	is_string(x)
} else := sprintf("%v", [x])

requirement_matches(req, labels) if {
	req.operator == "In"
	some v in requirement_values(req)
	label_equals(labels, req.key, v)
}

requirement_matches(req, labels) if {
	req.operator == "NotIn"
	not has_label(labels, req.key)
}

requirement_matches(req, labels) if {
	req.operator == "NotIn"
	has_label(labels, req.key)
	every v in requirement_values(req) {
		not label_equals(labels, req.key, v)
	}
}

requirement_matches(req, labels) if {
	req.operator == "Exists"
	has_label(labels, req.key)
}

requirement_matches(req, labels) if {
	req.operator == "DoesNotExist"
	not has_label(labels, req.key)
}

requirement_values(req) := values if {
	values := req.values
	is_array(values)
} else := []

has_label(labels, key) if {
	_ := labels[key]
}
