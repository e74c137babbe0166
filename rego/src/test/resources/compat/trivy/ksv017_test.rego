package builtin.kubernetes.KSV017

import rego.v1

pod(priv) := {
	"apiVersion": "v1",
	"kind": "Pod",
	"metadata": {"name": "hello"},
	"spec": {"containers": [{"name": "hello", "image": "busybox", "securityContext": {"privileged": priv}}]},
}

test_privileged_denied if {
	r := deny with input as pod(true)
	count(r) == 1
	some x in r
	x.severity == "HIGH"
	x.id == "KSV017"
	contains(x.msg, "of pod 'hello'")
}

test_unprivileged_allowed if {
	r := deny with input as pod(false)
	count(r) == 0
}

test_gatekeeper_wrapping if {
	r := deny with input as {"review": {"object": pod(true)}}
	count(r) == 1
}

test_deployment if {
	inp := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [{"name": "root", "securityContext": {"privileged": true}}]}}}}
	r := deny with input as inp
	some x in r
	x.severity == "CRITICAL"
}

todo_test_later if {
	false
}
