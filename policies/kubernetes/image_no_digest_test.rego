package posture.kubernetes.image_no_digest_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.image_no_digest

with_image(image) := t.spec_with(t.container({"image": image}))

test_no_digest[image] if {
	some image in [
		"nginx", "nginx:1.27", "registry:5000/app:1.2", "registry:5000/app",
		"app@sha256:abc", "app@sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	]
	results := image_no_digest.deny with input as t.statefulset(with_image(image))
	count(results) == 1
	some r in results
	r.path == t.path("StatefulSet", ["containers", 0, "image"])
	r.container == "app"
}

test_digest_passes[image] if {
	some image in [
		concat("@", ["nginx", t.digest]), concat("@", ["nginx:1.27", t.digest]),
		concat("@", ["registry:5000/app:1.2", t.digest]), concat("@", ["nginx:latest", t.digest]),
	]
	count(image_no_digest.deny) == 0 with input as t.pod(with_image(image))
}

test_every_container_type_and_kind[kind] if {
	some kind in t.kinds
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "image": "busybox:1.36"})],
		"ephemeralContainers": [t.container({"name": "debug", "image": "busybox:1.36"})],
	})
	t.containers_of(image_no_digest.deny) == {"init", "debug"} with input as t.workload(kind, spec)
}
