# METADATA
# scope: package
# title: Image is not pinned by digest
# description: >-
#   Without an @sha256 digest the image a tag points to can change between pulls (a re-pushed tag,
#   a compromised registry account); with one, the node runs exactly the reviewed image. A tag
#   beside the digest (app:1.2@sha256:...) counts as pinned.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/containers/images/#image-names
# custom:
#   id: k8s-image-no-digest
#   control: image-no-digest
#   severity: low
#   theme: supply-chain
#   pss: none
#   remediation: Reference the image by digest (registry/app:1.2@sha256:<digest>), for example through your CD tooling.
package posture.kubernetes.image_no_digest

import data.posture.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers
	image := entry.container.image
	is_string(image)
	image != ""
	not k8s.has_sha256_digest(image)
	name := k8s.name(entry)
	result := {
		"msg": sprintf("Container '%s' image '%s' is not pinned by an @sha256 digest", [name, image]),
		"path": array.concat(entry.path, ["image"]),
		"container": name,
	}
}
