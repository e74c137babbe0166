# METADATA
# scope: package
# title: Pod mounts a host path
# custom:
#   id: k8s-host-path
#   control: host-path
#   severity: high
#   theme: cluster
#   pss: baseline
#   remediation: Use a volume type other than hostPath.
package posture.kubernetes.host_path

import data.lib.kubernetes

deny contains result if {
	kubernetes.is_workload
	some i, v in object.get(kubernetes.pod_spec, "volumes", [])
	v.hostPath
	result := {
		"msg": sprintf("volume %q mounts the host path %s", [v.name, v.hostPath.path]),
		"path": array.concat(kubernetes.pod_spec_path, ["volumes", i, "hostPath"]),
	}
}
