package posture.kubernetes.image_latest_tag_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.image_latest_tag

with_image(image) := t.spec_with(t.container({"image": image}))

test_latest_or_no_tag[image] if {
	some image in [
		"nginx", "nginx:latest", "registry:5000/app", "registry:5000/app:latest",
		"localhost:5000/team/app", "docker.io/library/nginx", "ghcr.io/org/tool:latest",
	]
	results := image_latest_tag.deny with input as t.deployment(with_image(image))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "image"])
	r.container == "app"
	contains(r.msg, image)
}

test_pinned_or_tagged_passes[image] if {
	some image in [
		"nginx:1.27", "registry:5000/app:1.2", "localhost:5000/team/app:2024-01-01",
		concat("@", ["nginx", t.digest]), concat("@", ["nginx:latest", t.digest]),
		concat("@", ["registry:5000/app", t.digest]), concat("@", ["registry:5000/app:1.2", t.digest]),
		"nginx:Latest",
	]
	count(image_latest_tag.deny) == 0 with input as t.pod(with_image(image))
}

test_message_says_which if {
	some r1 in image_latest_tag.deny with input as t.pod(with_image("registry:5000/app"))
	contains(r1.msg, "no tag")
	some r2 in image_latest_tag.deny with input as t.pod(with_image("app:latest"))
	contains(r2.msg, "latest tag")
}

test_every_container_type_and_kind[kind] if {
	some kind in t.kinds
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "image": "busybox"})],
		"ephemeralContainers": [t.container({"name": "debug", "image": "busybox:latest"})],
	})
	t.containers_of(image_latest_tag.deny) == {"init", "debug"} with input as t.workload(kind, spec)
}

test_cronjob_path if {
	some r in image_latest_tag.deny with input as t.cronjob(with_image("registry:5000/app"))
	r.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image"]
}

test_missing_image_ignored if {
	count(image_latest_tag.deny) == 0 with input as t.pod(t.spec_with(object.remove(t.hardened_container, ["image"])))
}
