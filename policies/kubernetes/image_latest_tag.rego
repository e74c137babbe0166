# METADATA
# scope: package
# title: Image uses the latest tag or no tag
# description: >-
#   An image reference without a digest whose tag is latest or missing (a registry port such as
#   registry:5000/app is not a tag) runs whatever was pushed last: deployments are not
#   reproducible and a compromised push is picked up on the next pull. A digest pins the image
#   whatever the tag.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/containers/images/#image-names
# custom:
#   id: k8s-image-latest-tag
#   control: image-latest-tag
#   severity: medium
#   theme: supply-chain
#   pss: none
#   remediation: Use an immutable version tag, and better a digest (image@sha256:...).
package posture.kubernetes.image_latest_tag

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	image := entry.container.image
	is_string(image)
	image != ""
	not k8s.image_digest(image)
	problem := tag_problem(image)
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' image '%s' %s", [name, image, problem]),
		"path": array.concat(entry.path, ["image"]),
		"container": name,
	}
}

tag_problem(image) := "has no tag (latest is pulled) and no digest" if {
	not k8s.image_tag(image)
}

tag_problem(image) := "uses the latest tag and no digest" if {
	k8s.image_tag(image) == "latest"
}
