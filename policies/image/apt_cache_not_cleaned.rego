# METADATA
# scope: package
# title: Package manager cache left in the image
# description: >-
#   A package manager's lists or downloaded archives were left in the image (files.package_caches):
#   apt's /var/lib/apt/lists and /var/cache/apt/archives above all, and also apk, yum/dnf, pip and
#   npm caches, each with its own message. They add size and stale package indexes that a later
#   install in a derived image would trust without an update. A cache the analyzer lists with 0
#   files is empty and not reported. One finding per cache directory.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#apt-get
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0005
# custom:
#   id: img-apt-cache-not-cleaned
#   control: apt-cache-not-cleaned
#   severity: info
#   theme: image
#   remediation: Clean up in the same RUN that installs (apt-get install ... && rm -rf /var/lib/apt/lists/*; apk add --no-cache; dnf clean all; pip install --no-cache-dir; npm cache clean --force), or mount the cache (RUN --mount=type=cache).
package posture.image.apt_cache_not_cleaned

import data.posture.lib.image as img

deny contains {"msg": msg, "path": c.path} if {
	some c in img.files_list("package_caches")
	is_object(c)
	is_string(c.path)
	not c.files == 0
	msg := sprintf("%s left in %s%s: %s", [what(c.manager), c.path, size(c), fix(c.manager)])
}

managers := {
	"apt": ["apt package lists or archives", "remove /var/lib/apt/lists/* in the RUN that installs (and apt-get clean)"],
	"apk": ["apk package cache", "use apk add --no-cache"],
	"yum": ["yum cache", "run yum clean all in the RUN that installs"],
	"dnf": ["dnf cache", "run dnf clean all in the RUN that installs"],
	"pip": ["pip cache", "use pip install --no-cache-dir"],
	"npm": ["npm cache", "run npm cache clean --force in the RUN that installs"],
}

what(m) := managers[m][0] if {
	managers[m]
} else := sprintf("%v package cache", [m])

fix(m) := managers[m][1] if {
	managers[m]
} else := "clean it in the RUN that fills it"

size(c) := sprintf(" (%v files, %s)", [c.files, img.human_bytes(c.bytes)]) if {
	is_number(c.files)
	is_number(c.bytes)
} else := sprintf(" (%v files)", [c.files]) if {
	is_number(c.files)
} else := ""
