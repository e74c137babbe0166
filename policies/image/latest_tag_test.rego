package posture.image.latest_tag_test

import data.posture.lib.image.testing as t
import data.posture.image.latest_tag

ref(registry, repository, tag, digest) := {"registry": registry, "repository": repository, "tag": tag, "digest": digest}

test_no_tag if {
	results := latest_tag.deny with input as t.image({"name": "nginx", "reference": ref("registry-1.docker.io", "library/nginx", null, null)})
	count(results) == 1
	some r in results
	r.key == "reference"
	startswith(r.msg, "Image 'nginx' has no tag (latest is pulled) and no digest")
}

test_latest_tag if {
	some r in latest_tag.deny with input as t.image({"name": "localhost:5000/shop/api:latest", "reference": ref("localhost:5000", "shop/api", "latest", null)})
	startswith(r.msg, "Image 'localhost:5000/shop/api:latest' uses the latest tag and no digest")
}

test_pin_hint_names_the_digest if {
	some r in latest_tag.deny with input as t.image({"reference": ref("localhost:5000", "shop/api", "latest", null)})
	endswith(r.msg, sprintf(": pin it by digest (@%s)", [t.digest]))
	some r2 in latest_tag.deny with input as t.image({"digest": null, "reference": ref("localhost:5000", "shop/api", "latest", null)})
	endswith(r2.msg, "uses the latest tag and no digest")
}

test_pinned_or_tagged_pass[r] if {
	some r in [
		ref("registry.example.com", "shop/api", "1.4.2", null),
		ref("registry.example.com", "shop/api", "latest", t.digest),
		ref("registry.example.com", "shop/api", null, t.digest),
		ref("registry.example.com", "shop/api", "Latest", null),
	]
	count(latest_tag.deny) == 0 with input as t.image({"reference": r})
}

# No reference (an archive without RepoTags, an OCI layout): nothing to judge.
test_no_reference if {
	count(latest_tag.deny) == 0 with input as t.image({"name": "/tmp/app.tar", "source": "archive", "reference": null})
}
