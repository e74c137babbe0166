# METADATA
# scope: package
# title: Image built too long ago
# description: >-
#   The image was created more than data.config.image_max_age_days days before the scan (365 when
#   not configured; --max-image-age): an image that is not rebuilt misses every fix its base image
#   and packages got since, vulnerabilities not yet in any database included. No finding when the
#   config has no created date (age_days null). The message gives the date and the age.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often
# custom:
#   id: img-stale
#   control: image-stale
#   severity: low
#   theme: supply-chain
#   remediation: Rebuild the image regularly (on a schedule and when its base image changes) with docker build --pull, and redeploy it.
package posture.image.stale

deny contains {"msg": msg, "key": "created"} if {
	age := input.age_days
	is_number(age)
	age > max_age
	msg := sprintf("Image was created %s, %v days ago (more than %v days)", [created_date, age, max_age])
}

max_age := n if {
	n := data.config.image_max_age_days
	is_number(n)
} else := 365

created_date := substring(input.created, 0, 10) if {
	is_string(input.created)
	count(input.created) >= 10
} else := "at an unknown date"
