# METADATA
# scope: package
# title: ADD used for local files
# description: >-
#   A build step used ADD to copy local files. ADD also extracts local archives and fetches URLs,
#   so a harmless-looking ADD can unpack a tarball with unexpected content over the filesystem;
#   COPY does only the copy. Exempt: the first layer-creating step (the base image's root
#   filesystem, ADD file:... in /), and ADD whose sources are all remote (http://, https://, git@,
#   git:// or ssh:// URLs, which COPY cannot fetch). Every other ADD is reported, archives
#   included, as Dockle's CIS-DI-0009 does. One finding per step.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#add-or-copy
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0009
# custom:
#   id: img-add-instead-of-copy
#   control: add-instead-of-copy
#   severity: low
#   theme: supply-chain
#   remediation: Use COPY for local files and directories (and RUN tar -x where extracting an archive is intended).
package posture.image.add_instead_of_copy

import data.posture.lib.image as img

deny contains result if {
	some s in img.steps
	img.instruction(s.step) == "ADD"
	s.index != base_step
	local := [src | some src in sources(img.command(s.step)); not remote(src)]
	count(local) > 0
	result := {
		"msg": sprintf("Build step %d adds local files with ADD (%s): use COPY", [s.index, img.show(img.command(s.step))]),
		"key": s.key,
	}
}

# The index of the first step that made a layer (the base image's root filesystem).
base_step := min(indexes) if {
	indexes := {s.index | some s in img.steps; layer_creating(s.step)}
	count(indexes) > 0
} else := -1

layer_creating(h) if h.empty_layer == false

layer_creating(h) if {
	not is_boolean(object.get(h, "empty_layer", null))
	is_number(h.layer)
}

# The source operands of ADD: the arguments without --flags and without the destination (the last
# one; "in DEST" in the legacy builder's form). The JSON form ["src", "dest"] is read as strings.
sources(cmd) := srcs if {
	args := arguments(cmd)
	count(args) > 1
	srcs := array.slice(args, 0, count(args) - destination_words(args))
} else := arguments(cmd)

destination_words(args) := 2 if {
	count(args) > 2
	args[count(args) - 2] == "in"
} else := 1

arguments(cmd) := [unquote(a) | some a in regex.find_n(`"(?:[^"\\]|\\.)*"`, cmd, -1)] if {
	regex.match(`^\s*(?:--\S+\s+)*\[`, cmd)
} else := [a | some a in regex.split(`\s+`, trim_space(cmd)); a != ""; not startswith(a, "--")]

unquote(a) := substring(a, 1, count(a) - 2)

remote(src) if regex.match(`^(?:https?|git|ssh)://`, src)

remote(src) if regex.match(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`, src)
