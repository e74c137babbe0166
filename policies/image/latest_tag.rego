# METADATA
# scope: package
# title: Image referenced by the latest tag or without a tag
# description: >-
#   The reference the image was scanned by (reference: the --image reference, or an archive's first
#   RepoTags entry) has no digest, and its tag is latest or missing (a pull then takes latest). The
#   same name can point at another image tomorrow: what was scanned is not what will run. No finding
#   when there is no reference (an archive without RepoTags, an OCI layout) or when it has a digest.
#   Severity low: the deployment's own reference (k8s-image-latest-tag, medium) decides what runs.
# related_resources:
#   - ref: https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier
# custom:
#   id: img-latest-tag
#   control: image-latest-tag
#   severity: low
#   theme: supply-chain
#   remediation: Tag images with an immutable version (app:1.4.2), and reference them by digest (app@sha256:...) where they are deployed.
package posture.image.latest_tag

deny contains {"msg": msg, "key": "reference"} if {
	ref := input.reference
	is_object(ref)
	not has_digest(ref)
	problem := tag_problem(ref)
	msg := sprintf("Image '%s' %s%s", [display(ref), problem, pin_hint])
}

has_digest(ref) if {
	is_string(ref.digest)
	ref.digest != ""
}

tag_problem(ref) := "has no tag (latest is pulled) and no digest" if {
	not is_string(object.get(ref, "tag", null))
} else := "has no tag (latest is pulled) and no digest" if {
	ref.tag == ""
} else := "uses the latest tag and no digest" if {
	ref.tag == "latest"
}

# The reference as written: Docker Hub's registry and library/ left out, the tag when there is one.
display(ref) := concat("", [repository_text(ref), tag_text(ref)])

repository_text(ref) := trim_prefix(ref.repository, "library/") if {
	ref.registry == "registry-1.docker.io"
	is_string(ref.repository)
} else := concat("/", [ref.registry, ref.repository]) if {
	is_string(ref.registry)
	ref.registry != ""
	is_string(ref.repository)
} else := ref.repository if {
	is_string(ref.repository)
} else := input.name if {
	is_string(input.name)
} else := "(unnamed)"

tag_text(ref) := concat("", [":", ref.tag]) if {
	is_string(ref.tag)
	ref.tag != ""
} else := ""

pin_hint := sprintf(": pin it by digest (@%s)", [input.digest]) if {
	is_string(input.digest)
	startswith(input.digest, "sha256:")
} else := ""
