# METADATA
# scope: package
# title: Package index updated without an install in the same step
# description: >-
#   A RUN step updates a package index (apt-get update, apt update, aptitude update, apk update,
#   yum/dnf/microdnf makecache, zypper refresh) and installs nothing with that package manager in
#   the same step. The build cache keeps that layer, so a later RUN that installs uses an index of
#   whenever the layer was first built and installs outdated packages; the index also bloats the
#   image. An install, upgrade or add of the same manager in the same step (apt-get update &&
#   apt-get install -y ...) is the accepted pattern and not reported. One finding per step.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#apt-get
# custom:
#   id: img-update-without-install
#   control: update-without-install
#   severity: low
#   theme: image
#   remediation: Update and install in one RUN (RUN apt-get update && apt-get install -y --no-install-recommends PKG && rm -rf /var/lib/apt/lists/*; apk add --no-cache PKG).
package posture.image.update_without_install

import data.posture.lib.image as img

deny contains {"msg": msg, "key": s.key} if {
	some s in img.run_steps
	updated := sort([f.update_text | some f in families; regex.match(f.update, s.command); not regex.match(f.install, s.command)])
	count(updated) > 0
	msg := sprintf("Build step %d runs %s without installing anything in the same step: %s", [s.index, concat(" and ", updated), img.show(s.command)])
}

# Words that may come before a command, and what may follow an option of these tools.
before := `(?:^|[\s;&|(/])`

options := `(?:\s+(?:-o\s+\S+|-\S+))*`

after := `(?:\s|$|[;&|)])`

families := [
	{
		"update_text": "apt-get update",
		"update": concat("", [before, `(?:apt-get|apt|aptitude)`, options, `\s+update`, after]),
		"install": concat("", [before, `(?:apt-get|apt|aptitude)`, options, `\s+(?:install|upgrade|dist-upgrade|full-upgrade|build-dep|reinstall)`, after]),
	},
	{
		"update_text": "apk update",
		"update": concat("", [before, `apk`, options, `\s+update`, after]),
		"install": concat("", [before, `apk`, options, `\s+(?:add|upgrade|fix)`, after]),
	},
	{
		"update_text": "yum/dnf makecache",
		"update": concat("", [before, `(?:yum|dnf|microdnf|tdnf)`, options, `\s+makecache`, after]),
		"install": concat("", [before, `(?:yum|dnf|microdnf|tdnf)`, options, `\s+(?:install|update|upgrade|reinstall|groupinstall|localinstall|distro-sync)`, after]),
	},
	{
		"update_text": "zypper refresh",
		"update": concat("", [before, `zypper`, options, `\s+(?:refresh|ref)`, after]),
		"install": concat("", [before, `zypper`, options, `\s+(?:install|in|update|up|dist-upgrade|dup|patch)`, after]),
	},
]
