package posture.image.add_instead_of_copy_test

import data.posture.lib.image.testing as t
import data.posture.image.add_instead_of_copy

test_local_add_reported[cmd] if {
	some cmd in [
		"app.tar.gz /app/",
		"--chown=app:app src/ /app/",
		"--chown=10001 --chmod=755 start.sh /usr/local/bin/",
		"[\"conf dir\", \"/etc/app/\"]",
		"--chown=app [\"a.txt\", \"b.txt\", \"/srv/\"]",
		"file:0a1b2c3d in /app/",
		"dir:0a1b2c3d in /app",
		"vendor.tgz https://example.com/x.tgz /opt/",
		"multi:0a1b2c3d,4e5f6a7b in /srv/",
	]
	results := add_instead_of_copy.deny with input as t.with_steps([["ENV", "A=b"], ["ADD", cmd]])
	count(results) == 1
	some r in results
	r.key == "history.2"
	contains(r.msg, "use COPY")
}

test_remote_add_exempt[cmd] if {
	some cmd in [
		"https://example.com/tool.tar.gz /opt/",
		"--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/",
		"http://mirror.example.com/x.deb /tmp/",
		"git@github.com:org/repo.git /src",
		"--keep-git-dir=true https://github.com/org/repo.git#v1.2.3 /src",
		"[\"https://example.com/a.tgz\", \"/opt/\"]",
		"ssh://git@example.com/org/repo.git /src",
	]
	count(add_instead_of_copy.deny) == 0 with input as t.with_steps([["ADD", cmd]])
}

# The base layer (the first step that made a layer) is exempt, wherever it is in the history.
test_base_layer_exempt if {
	count(add_instead_of_copy.deny) == 0 with input as t.clean_image
	doc := t.image({"history": [
		t.step(0, "ARG", "VERSION=1"),
		object.union(t.base_step, {"index": 1, "layer": 0}),
		t.step(2, "CMD", "[\"bash\"]"),
	]})
	count(add_instead_of_copy.deny) == 0 with input as doc
}

# A second root filesystem ADD (not the first layer) is reported.
test_second_rootfs_add if {
	doc := t.image({"history": [t.base_step, object.union(t.base_step, {"index": 1, "layer": 1})]})
	t.keys(add_instead_of_copy.deny) == {"history.1"} with input as doc
}

# When the first layer-creating step is not an ADD, every ADD after it is judged.
test_first_add_not_base if {
	doc := t.image({"history": [t.step(0, "COPY", "rootfs/ /"), t.step(1, "ADD", "app /app")]})
	t.keys(add_instead_of_copy.deny) == {"history.1"} with input as doc
}

# empty_layer unknown: a step with a layer counts as layer-creating.
test_layer_creating_from_layer if {
	doc := t.image({"history": [
		object.remove(t.base_step, ["empty_layer"]),
		object.remove(t.step(1, "ADD", "app /app"), ["empty_layer"]),
	]})
	t.keys(add_instead_of_copy.deny) == {"history.1"} with input as doc
}

test_copy_passes if {
	count(add_instead_of_copy.deny) == 0 with input as t.with_steps([["COPY", "app.tar.gz /app/"], ["COPY", "--from=build /out /app"]])
}

test_message if {
	some r in add_instead_of_copy.deny with input as t.with_steps([["ADD", "app.tar.gz /app/"]])
	r.msg == "Build step 1 adds local files with ADD (app.tar.gz /app/): use COPY"
}
