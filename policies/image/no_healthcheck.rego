# METADATA
# scope: package
# title: Image has no health check
# description: >-
#   The image config has no HEALTHCHECK (config.healthcheck is null or empty), or disables the one it
#   inherits with HEALTHCHECK NONE (the message says so): Docker and Swarm cannot tell a hung
#   container from a healthy one, so it is neither restarted nor taken out of service. Kubernetes
#   ignores HEALTHCHECK and uses its own probes, hence severity low.
# related_resources:
#   - ref: https://docs.docker.com/reference/dockerfile/#healthcheck
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0006
# custom:
#   id: img-no-healthcheck
#   control: no-healthcheck
#   severity: low
#   theme: runtime
#   remediation: Add a HEALTHCHECK instruction that checks the service (HEALTHCHECK CMD /app/healthcheck), or define liveness and readiness probes where the image runs on Kubernetes.
package posture.image.no_healthcheck

import data.posture.lib.image as img

deny contains {"msg": reason, "key": "config.Healthcheck"} if {
	reason := problem
}

healthcheck := img.config_field("healthcheck")

problem := "The health check is disabled (HEALTHCHECK NONE)" if {
	img.config_field("healthcheck_disabled") == true
} else := "The health check is disabled (HEALTHCHECK NONE)" if {
	first := healthcheck[0]
	is_string(first)
	upper(first) == "NONE"
} else := "The image has no HEALTHCHECK" if {
	not is_array(healthcheck)
} else := "The image has no HEALTHCHECK" if {
	count(healthcheck) == 0
}
