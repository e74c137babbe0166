package posture.image.no_healthcheck_test

import data.posture.lib.image.testing as t
import data.posture.image.no_healthcheck

test_no_healthcheck[hc] if {
	some hc in [null, []]
	results := no_healthcheck.deny with input as t.with_config({"healthcheck": hc, "healthcheck_disabled": false})
	count(results) == 1
	some r in results
	r.key == "config.Healthcheck"
	r.msg == "The image has no HEALTHCHECK"
}

test_disabled_with_none if {
	some r in no_healthcheck.deny with input as t.with_config({"healthcheck": null, "healthcheck_disabled": true})
	r.msg == "The health check is disabled (HEALTHCHECK NONE)"
	some r2 in no_healthcheck.deny with input as t.with_config({"healthcheck": ["NONE"], "healthcheck_disabled": false})
	r2.msg == "The health check is disabled (HEALTHCHECK NONE)"
}

test_one_finding_when_disabled if {
	count(no_healthcheck.deny) == 1 with input as t.with_config({"healthcheck": ["NONE"], "healthcheck_disabled": true})
}

test_healthcheck_passes[hc] if {
	some hc in [["CMD", "/app/healthcheck"], ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]]
	count(no_healthcheck.deny) == 0 with input as t.with_config({"healthcheck": hc})
}

test_missing_config if {
	count(no_healthcheck.deny) == 1 with input as t.image({"config": null})
}
