# METADATA
# scope: package
# title: AppArmor profile overridden or disabled
# description: >-
#   An explicit AppArmor profile other than the runtime default or a localhost profile (for example
#   Unconfined) removes the mandatory access control the runtime applies by default. Checked on
#   securityContext.appArmorProfile.type (pod and every container) and on the legacy annotation
#   container.apparmor.security.beta.kubernetes.io/<container>. Pod Security Standards baseline.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
#   - ref: https://kubernetes.io/docs/tutorials/security/apparmor/
# custom:
#   id: k8s-apparmor
#   control: apparmor
#   severity: medium
#   theme: cluster
#   pss: baseline
#   remediation: 'Remove the override, or use appArmorProfile.type: RuntimeDefault / Localhost (annotation runtime/default or localhost/<profile>).'
package posture.kubernetes.apparmor

import data.posture.lib.kubernetes as k8s

allowed_types := {"RuntimeDefault", "Localhost"}

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

# Pod-level field.
deny contains result if {
	profile := k8s.pod_spec.securityContext.appArmorProfile
	profile != null
	type := profile_type(profile)
	not allowed_types[type]
	result := {
		"msg": sprintf("Pod sets securityContext.appArmorProfile.type %s", [show(type)]),
		"path": array.concat(k8s.pod_spec_path, ["securityContext", "appArmorProfile"]),
	}
}

# Container-level field.
deny contains result if {
	some entry in k8s.containers
	profile := entry.container.securityContext.appArmorProfile
	profile != null
	type := profile_type(profile)
	not allowed_types[type]
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' sets securityContext.appArmorProfile.type %s", [name, show(type)]),
		"path": array.concat(entry.path, ["securityContext", "appArmorProfile"]),
		"container": name,
	}
}

# Legacy annotation on the pod (template) metadata.
deny contains result if {
	some key, value in k8s.pod_annotations
	startswith(key, annotation_prefix)
	not allowed_annotation(value)
	container := substring(key, count(annotation_prefix), -1)
	result := {
		"msg": sprintf("Annotation %s sets AppArmor profile '%v'", [key, value]),
		"path": array.concat(k8s.pod_metadata_path, ["annotations", key]),
		"container": container,
	}
}

allowed_annotation("") := true

allowed_annotation("runtime/default") := true

allowed_annotation(value) if startswith(value, "localhost/")

profile_type(profile) := type if {
	type := profile.type
	type != null
} else := null

show(null) := "unset"

show(type) := sprintf("%v", [type]) if type != null
