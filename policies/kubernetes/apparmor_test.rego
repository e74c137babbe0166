package posture.kubernetes.apparmor_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.apparmor

with_annotations(kind, spec, annotations) := w if {
	base := t.workload(kind, spec)
	kind == "Pod"
	w := object.union(base, {"metadata": {"annotations": annotations}})
}

with_annotations(kind, spec, annotations) := w if {
	base := t.workload(kind, spec)
	kind != "Pod"
	w := json.patch(base, [{"op": "add", "path": concat("/", array.concat([""], t.data_path(kind))), "value": annotations}])
}

key := "container.apparmor.security.beta.kubernetes.io/app"

test_field_on_container if {
	spec := t.spec_with(t.container_sc(object.union(t.hardened_security_context, {"appArmorProfile": {"type": "Unconfined"}})))
	results := apparmor.deny with input as t.deployment(spec)
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "securityContext", "appArmorProfile"])
	r.container == "app"
	contains(r.msg, "Unconfined")
}

test_field_on_pod if {
	spec := t.spec({"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}, "appArmorProfile": {"type": "Unconfined"}}})
	results := apparmor.deny with input as t.cronjob(spec)
	count(results) == 1
	some r in results
	r.path == t.path("CronJob", ["securityContext", "appArmorProfile"])
	not r.container
}

test_allowed_field_types_pass[type] if {
	some type in ["RuntimeDefault", "Localhost"]
	spec := t.spec({
		"securityContext": {"appArmorProfile": {"type": type, "localhostProfile": "k8s-app"}},
		"containers": [t.container_sc(object.union(t.hardened_security_context, {"appArmorProfile": {"type": type}}))],
	})
	count(apparmor.deny) == 0 with input as t.pod(spec)
}

test_ephemeral_container_field if {
	sc := object.union(t.hardened_security_context, {"appArmorProfile": {"type": "Unconfined"}})
	spec := t.spec({"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc})]})
	t.containers_of(apparmor.deny) == {"debug"} with input as t.pod(spec)
}

test_legacy_annotation_unconfined[kind] if {
	some kind in t.kinds
	results := apparmor.deny with input as with_annotations(kind, t.hardened_spec, {key: "unconfined"})
	count(results) == 1
	some r in results
	r.path == array.concat(t.data_path(kind), [key])
	r.container == "app"
}

test_legacy_annotation_allowed_values[value] if {
	some value in ["runtime/default", "localhost/k8s-apparmor-example", ""]
	count(apparmor.deny) == 0 with input as with_annotations("Deployment", t.hardened_spec, {key: value})
}

test_other_annotations_ignored if {
	count(apparmor.deny) == 0 with input as with_annotations("Pod", t.hardened_spec, {"example.com/apparmor": "unconfined"})
}

test_annotation_on_deployment_metadata_is_not_the_pod_template if {
	# The legacy annotation applies to pods: on the Deployment's own metadata it has no effect.
	d := object.union(t.deployment(t.hardened_spec), {"metadata": {"annotations": {key: "unconfined"}}})
	count(apparmor.deny) == 0 with input as d
}
