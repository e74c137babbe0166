# METADATA
# scope: package
# title: Pod automounts a service-account token
# description: >-
#   The pod gets an API token mounted when it sets automountServiceAccountToken: true, or leaves it
#   unset and its ServiceAccount (spec.serviceAccountName, default "default", looked up among the
#   scanned resources) does not set it to false. Code execution in the pod then means API access
#   with the account's permissions.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
# custom:
#   id: k8s-automount-sa-token
#   control: automount-sa-token
#   severity: low
#   theme: iam
#   pss: none
#   remediation: Set automountServiceAccountToken to false on the ServiceAccount or the pod, and mount a projected token only where the API is needed.
package posture.kubernetes.automount_sa_token

import data.posture.lib.kubernetes as k8s

service_account := sa if {
	sa := k8s.pod_spec.serviceAccountName
	is_string(sa)
	sa != ""
} else := sa if {
	sa := k8s.pod_spec.serviceAccount
	is_string(sa)
	sa != ""
} else := "default"

# Explicitly true on the pod.
deny contains result if {
	k8s.pod_spec.automountServiceAccountToken == true
	result := {
		"msg": sprintf("Pod sets automountServiceAccountToken: true (service account '%s')", [service_account]),
		"path": array.concat(k8s.pod_spec_path, ["automountServiceAccountToken"]),
	}
}

# Unset on the pod, and the ServiceAccount does not opt out.
deny contains result if {
	k8s.pod_spec
	object.get(k8s.pod_spec, "automountServiceAccountToken", null) == null
	not sa_opts_out
	result := {
		"msg": sprintf("Pod automounts the token of service account '%s' (%s)", [service_account, sa_state]),
		"path": sa_path,
	}
}

sa_object := data.posture.inventory[k8s.namespace].ServiceAccount[service_account]

sa_opts_out if sa_object.automountServiceAccountToken == false

sa_state := "the pod and the ServiceAccount leave automountServiceAccountToken unset" if {
	sa_object
	object.get(sa_object, "automountServiceAccountToken", null) == null
} else := "its ServiceAccount sets automountServiceAccountToken: true" if {
	sa_object.automountServiceAccountToken == true
} else := "the pod leaves automountServiceAccountToken unset and the ServiceAccount is not among the scanned resources" if {
	not sa_object
} else := "the pod leaves automountServiceAccountToken unset and the ServiceAccount does not set it to false"

sa_path := array.concat(k8s.pod_spec_path, ["serviceAccountName"]) if {
	is_string(k8s.pod_spec.serviceAccountName)
	k8s.pod_spec.serviceAccountName != ""
} else := array.concat(k8s.pod_spec_path, ["serviceAccount"]) if {
	is_string(k8s.pod_spec.serviceAccount)
	k8s.pod_spec.serviceAccount != ""
} else := k8s.pod_spec_path
