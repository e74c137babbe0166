package posture.kubernetes.windows_hostprocess_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.windows_hostprocess

windows_spec(pod_options, container_options) := {
	"os": {"name": "windows"},
	"securityContext": {"windowsOptions": pod_options},
	"containers": [{"name": "agent", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022", "securityContext": {"windowsOptions": container_options}}],
}

test_pod_level if {
	results := windows_hostprocess.deny with input as t.deployment(windows_spec({"hostProcess": true, "runAsUserName": "NT AUTHORITY\\SYSTEM"}, {}))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["securityContext", "windowsOptions", "hostProcess"])
	not r.container
}

test_container_level[kind] if {
	some kind in t.kinds
	results := windows_hostprocess.deny with input as t.workload(kind, windows_spec({}, {"hostProcess": true}))
	count(results) == 1
	some r in results
	r.path == t.path(kind, ["containers", 0, "securityContext", "windowsOptions", "hostProcess"])
	r.container == "agent"
}

test_ephemeral_container if {
	spec := object.union(windows_spec({}, {}), {"ephemeralContainers": [{"name": "debug", "image": "x:1", "securityContext": {"windowsOptions": {"hostProcess": true}}}]})
	t.containers_of(windows_hostprocess.deny) == {"debug"} with input as t.pod(spec)
}

test_false_or_unset_passes if {
	count(windows_hostprocess.deny) == 0 with input as t.pod(windows_spec({"hostProcess": false}, {"hostProcess": false}))
	count(windows_hostprocess.deny) == 0 with input as t.pod(windows_spec({"gmsaCredentialSpecName": "gmsa"}, {}))
}
