package posture.kubernetes.selinux_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.selinux

with_selinux(options) := t.container_sc(object.union(t.hardened_security_context, {"seLinuxOptions": options}))

test_allowed_types_pass[type] if {
	some type in ["container_t", "container_init_t", "container_kvm_t", "container_engine_t", ""]
	count(selinux.deny) == 0 with input as t.pod(t.spec_with(with_selinux({"type": type, "level": "s0:c123,c456"})))
	count(selinux.deny) == 0 with input as t.pod(t.spec({"securityContext": {"seLinuxOptions": {"type": type}}}))
}

test_level_alone_passes if {
	count(selinux.deny) == 0 with input as t.pod(t.spec_with(with_selinux({"level": "s0:c1,c2"})))
}

test_other_type_on_container if {
	results := selinux.deny with input as t.deployment(t.spec_with(with_selinux({"type": "spc_t"})))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "securityContext", "seLinuxOptions", "type"])
	r.container == "app"
	contains(r.msg, "spc_t")
}

test_other_type_on_pod if {
	results := selinux.deny with input as t.cronjob(t.spec({"securityContext": {"seLinuxOptions": {"type": "unconfined_t"}}}))
	count(results) == 1
	some r in results
	r.path == t.path("CronJob", ["securityContext", "seLinuxOptions", "type"])
	not r.container
}

test_user_and_role[field] if {
	some field in ["user", "role"]
	results := selinux.deny with input as t.pod(t.spec_with(with_selinux({field: "system_u", "type": "container_t"})))
	count(results) == 1
	some r in results
	r.path == ["spec", "containers", 0, "securityContext", "seLinuxOptions", field]
}

test_empty_user_and_role_pass if {
	count(selinux.deny) == 0 with input as t.pod(t.spec_with(with_selinux({"user": "", "role": "", "type": "container_t"})))
}

test_init_and_ephemeral if {
	sc := object.union(t.hardened_security_context, {"seLinuxOptions": {"type": "spc_t"}})
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "securityContext": sc})],
		"ephemeralContainers": [t.container({"name": "debug", "securityContext": sc})],
	})
	t.containers_of(selinux.deny) == {"init", "debug"} with input as t.pod(spec)
}
