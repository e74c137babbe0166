package posture.image.stale_test

import data.posture.lib.image.testing as t
import data.posture.image.stale

aged(days) := t.image({"created": "2021-03-01T00:00:00Z", "age_days": days})

test_stale_default if {
	results := stale.deny with input as aged(1376)
	count(results) == 1
	some r in results
	r.key == "created"
	r.msg == "Image was created 2021-03-01, 1376 days ago (more than 365 days)"
}

test_boundary_default if {
	count(stale.deny) == 0 with input as aged(365)
	count(stale.deny) == 1 with input as aged(366)
}

test_configured_age if {
	count(stale.deny) == 1 with input as aged(91) with data.config.image_max_age_days as 90
	count(stale.deny) == 0 with input as aged(90) with data.config.image_max_age_days as 90
	count(stale.deny) == 0 with input as aged(1376) with data.config.image_max_age_days as 2000
	some r in stale.deny with input as aged(91) with data.config.image_max_age_days as 90
	contains(r.msg, "more than 90 days")
}

# Another key of data.config does not change the default.
test_other_config_keys if {
	count(stale.deny) == 1 with input as aged(400) with data.config as {"other": 1}
}

test_unknown_age if {
	count(stale.deny) == 0 with input as t.image({"created": null, "age_days": null})
	count(stale.deny) == 0 with input as t.clean_image
}

test_unknown_created_date if {
	some r in stale.deny with input as t.image({"created": null, "age_days": 400})
	startswith(r.msg, "Image was created at an unknown date, 400 days ago")
}
