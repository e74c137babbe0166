# METADATA
# scope: package
# title: Secret passed through environment variables
# description: >-
#   A container takes a Secret through env valueFrom.secretKeyRef or envFrom.secretRef. Environment
#   variables leak more easily than mounted files (crash dumps, /proc/<pid>/environ, child
#   processes, logs of the environment) and do not follow Secret rotation.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/security/secrets-good-practices/
# custom:
#   id: k8s-secret-ref-in-env
#   control: secret-ref-in-env
#   severity: low
#   theme: secrets
#   pss: none
#   remediation: Mount the Secret as a read-only volume (or a projected volume) and read the file.
package posture.kubernetes.secret_ref_in_env

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	some j, env in entry.container.env
	ref := env.valueFrom.secretKeyRef
	is_object(ref)
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' takes %v from key '%v' of Secret '%v' through the environment", [name, object.get(env, "name", "?"), object.get(ref, "key", "?"), object.get(ref, "name", "?")]),
		"path": array.concat(entry.path, ["env", j, "valueFrom", "secretKeyRef"]),
		"container": name,
	}
}

deny contains result if {
	some entry in k8s.containers
	some j, source in entry.container.envFrom
	ref := source.secretRef
	is_object(ref)
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' takes every key of Secret '%v' into its environment (envFrom)", [name, object.get(ref, "name", "?")]),
		"path": array.concat(entry.path, ["envFrom", j, "secretRef"]),
		"container": name,
	}
}
