package posture.lib.kubernetes_test

import data.posture.lib.kubernetes as k8s
import data.posture.lib.kubernetes.testing as t

# Every built-in Kubernetes rule package.
rule_packages := [
	"allow_privilege_escalation", "apparmor", "automount_sa_token", "capabilities_added",
	"capabilities_not_dropped", "default_namespace", "docker_socket_mount", "host_ipc", "host_network",
	"host_path", "host_pid", "hostport", "image_latest_tag", "image_no_digest", "no_network_policy",
	"no_resource_limits", "privileged", "probe_host", "proc_mount", "rbac_cluster_admin_binding",
	"rbac_secrets_access", "rbac_wildcard", "read_only_root_fs", "restricted_volume", "run_as_root",
	"seccomp", "secret_in_env", "secret_ref_in_env", "selinux", "service_nodeport", "sysctls_unsafe",
	"windows_hostprocess",
]

test_every_control_has_a_package if {
	count(rule_packages) == 32
	every pkg in rule_packages {
		data.posture.kubernetes[pkg].deny == set() with input as {"kind": "ConfigMap", "metadata": {"name": "x"}}
	}
}

# The hardened workload of every kind passes every rule.
test_hardened_workload_passes_every_rule[kind] if {
	some kind in t.kinds
	every pkg in rule_packages {
		data.posture.kubernetes[pkg].deny == set() with input as t.workload(kind, t.hardened_spec)
			with data.posture.inventory as t.inventory
	}
}

test_pod_spec_path_per_kind[kind] if {
	some kind in t.kinds
	k8s.pod_spec_path == t.spec_path(kind) with input as t.workload(kind, t.hardened_spec)
	k8s.pod_spec == t.hardened_spec with input as t.workload(kind, t.hardened_spec)
	k8s.is_workload with input as t.workload(kind, t.hardened_spec)
}

test_cronjob_deep_path if {
	k8s.pod_spec_path == ["spec", "jobTemplate", "spec", "template", "spec"] with input as t.cronjob(t.hardened_spec)
	k8s.pod_metadata_path == ["spec", "jobTemplate", "spec", "template", "metadata"] with input as t.cronjob(t.hardened_spec)
	k8s.pod_labels == t.labels with input as t.cronjob(t.hardened_spec)
}

test_not_a_workload if {
	not k8s.is_workload with input as {"kind": "Service", "spec": {}}
	not k8s.pod_spec with input as {"kind": "Service", "spec": {}}
	count(k8s.containers) == 0 with input as {"kind": "Service", "spec": {"containers": [{"name": "x"}]}}
}

test_workload_without_template_has_no_pod_spec if {
	not k8s.pod_spec with input as {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": 1}}
	count(k8s.containers) == 0 with input as {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": 1}}
}

three_kinds_spec := t.spec({
	"initContainers": [t.container({"name": "init"})],
	"containers": [t.container({"name": "a"}), t.container({"name": "b"})],
	"ephemeralContainers": [t.container({"name": "debug"})],
})

test_containers_init_regular_and_ephemeral if {
	cs := k8s.containers with input as t.deployment(three_kinds_spec)
	{[e.type, e.index, e.container.name] | some e in cs} == {
		["initContainers", 0, "init"], ["containers", 0, "a"], ["containers", 1, "b"],
		["ephemeralContainers", 0, "debug"],
	}
	{e.path | some e in cs} == {
		["spec", "template", "spec", "initContainers", 0], ["spec", "template", "spec", "containers", 0],
		["spec", "template", "spec", "containers", 1], ["spec", "template", "spec", "ephemeralContainers", 0],
	}
}

test_pod_containers_exclude_ephemeral if {
	cs := k8s.pod_containers with input as t.pod(three_kinds_spec)
	{e.container.name | some e in cs} == {"init", "a", "b"}
}

test_containers_list_not_an_array_is_ignored if {
	count(k8s.containers) == 0 with input as t.pod({"containers": {"name": "x"}})
}

test_effective_container_over_pod if {
	spec := t.spec({
		"securityContext": {"runAsUser": 1000},
		"containers": [t.container_sc({"runAsUser": 0}), t.container_sc({})],
	})
	cs := k8s.containers with input as t.pod(spec)
	some a in cs
	a.index == 0
	k8s.effective(a, "runAsUser") == {"value": 0, "path": ["spec", "containers", 0, "securityContext", "runAsUser"], "level": "container"} with input as t.pod(spec)
	some b in cs
	b.index == 1
	k8s.effective(b, "runAsUser") == {"value": 1000, "path": ["spec", "securityContext", "runAsUser"], "level": "pod"} with input as t.pod(spec)
}

test_effective_null_is_unset if {
	spec := t.spec({
		"securityContext": {"runAsUser": 1000},
		"containers": [t.container_sc({"runAsUser": null})],
	})
	some e in k8s.containers with input as t.pod(spec)
	k8s.effective(e, "runAsUser").value == 1000 with input as t.pod(spec)
}

test_effective_undefined_when_unset_everywhere if {
	spec := {"containers": [{"name": "a", "image": "a:1"}]}
	some e in k8s.containers with input as t.pod(spec)
	not k8s.effective(e, "runAsUser") with input as t.pod(spec)
}

test_namespace_default_and_cluster_scoped if {
	k8s.namespace == "default" with input as {"kind": "Pod", "metadata": {"name": "p"}}
	k8s.namespace == "default" with input as {"kind": "Pod", "metadata": {"name": "p", "namespace": ""}}
	k8s.namespace == "shop" with input as {"kind": "Pod", "metadata": {"name": "p", "namespace": "shop"}}
	k8s.namespace == "" with input as {"kind": "ClusterRole", "metadata": {"name": "r"}}
}

test_windows_and_user_namespace if {
	k8s.is_windows with input as t.pod({"os": {"name": "windows"}, "containers": []})
	not k8s.is_windows with input as t.pod({"os": {"name": "linux"}, "containers": []})
	k8s.in_user_namespace with input as t.pod({"hostUsers": false, "containers": []})
	not k8s.in_user_namespace with input as t.pod({"hostUsers": true, "containers": []})
	not k8s.in_user_namespace with input as t.pod({"containers": []})
}

# Image references.

test_image_tag_and_registry_port if {
	not k8s.image_tag("registry:5000/app")
	k8s.image_tag("registry:5000/app:1.2") == "1.2"
	k8s.image_tag("localhost:5000/team/app:latest") == "latest"
	not k8s.image_tag("nginx")
	k8s.image_tag("nginx:1.27") == "1.27"
	k8s.image_tag("docker.io/library/nginx:1.27-alpine") == "1.27-alpine"
	not k8s.image_tag(concat("@", ["registry:5000/app", t.digest]))
	k8s.image_tag(concat("@", ["registry:5000/app:2.0", t.digest])) == "2.0"
	not k8s.image_tag("app:")
}

test_image_digest if {
	k8s.image_digest(concat("@", ["app", t.digest])) == t.digest
	k8s.image_digest(concat("@", ["app:1.2", t.digest])) == t.digest
	not k8s.image_digest("app:1.2")
	not k8s.image_digest("app@latest")
	k8s.has_sha256_digest(concat("@", ["registry:5000/app:1.2", t.digest]))
	not k8s.has_sha256_digest("app@sha256:abc")
	not k8s.has_sha256_digest("app:sha256")
}

# Label selectors.

test_selector_empty_and_null_select_everything if {
	k8s.selector_matches({}, {"app": "shop"})
	k8s.selector_matches({}, {})
	k8s.selector_matches(null, {"app": "shop"})
	k8s.selector_matches({"matchLabels": {}}, {"app": "shop"})
	k8s.selector_matches({"matchLabels": null, "matchExpressions": null}, {"app": "shop"})
}

test_selector_match_labels if {
	k8s.selector_matches({"matchLabels": {"app": "shop"}}, {"app": "shop", "tier": "web"})
	not k8s.selector_matches({"matchLabels": {"app": "shop", "tier": "db"}}, {"app": "shop", "tier": "web"})
	not k8s.selector_matches({"matchLabels": {"app": "shop"}}, {})
}

test_selector_match_expressions if {
	labels := {"app": "shop", "tier": "web"}
	k8s.selector_matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "api"]}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["web"]}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "zone", "operator": "Exists"}]}, labels)
	k8s.selector_matches({"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["shop"]}]}, labels)
}

test_selector_labels_and_expressions_are_anded if {
	labels := {"app": "shop", "tier": "web"}
	k8s.selector_matches({"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}, labels)
	not k8s.selector_matches({"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}, labels)
	not k8s.selector_matches({"matchLabels": {"app": "other"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}, labels)
	not k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "Exists"}, {"key": "tier", "operator": "DoesNotExist"}]}, labels)
}
