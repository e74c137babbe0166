package posture.image.apt_cache_not_cleaned_test

import data.posture.lib.image.testing as t
import data.posture.image.apt_cache_not_cleaned

cache(manager, path, files, bytes) := {"manager": manager, "path": path, "files": files, "bytes": bytes}

test_apt_lists if {
	results := apt_cache_not_cleaned.deny with input as t.with_files({"package_caches": [cache("apt", "/var/lib/apt/lists", 12, 40960)]})
	count(results) == 1
	some r in results
	r.path == "/var/lib/apt/lists"
	r.msg == "apt package lists or archives left in /var/lib/apt/lists (12 files, 40 KB): remove /var/lib/apt/lists/* in the RUN that installs (and apt-get clean)"
}

test_one_per_cache if {
	results := apt_cache_not_cleaned.deny with input as t.with_files({"package_caches": [
		cache("apt", "/var/lib/apt/lists", 12, 40960),
		cache("apt", "/var/cache/apt/archives", 3, 5242880),
	]})
	t.paths(results) == {"/var/lib/apt/lists", "/var/cache/apt/archives"}
}

# Other managers have their own message.
test_other_managers[case] if {
	some case in [
		["apk", "/var/cache/apk", "apk add --no-cache"], ["yum", "/var/cache/yum", "yum clean all"],
		["dnf", "/var/cache/dnf", "dnf clean all"], ["pip", "/root/.cache/pip", "--no-cache-dir"],
		["npm", "/root/.npm", "npm cache clean"], ["gem", "/root/.gem", "clean it in the RUN"],
	]
	some r in apt_cache_not_cleaned.deny with input as t.with_files({"package_caches": [cache(case[0], case[1], 5, 2048)]})
	r.path == case[1]
	contains(r.msg, case[2])
	not contains(r.msg, "apt-get")
}

test_empty_cache_passes if {
	count(apt_cache_not_cleaned.deny) == 0 with input as t.with_files({"package_caches": [cache("apt", "/var/lib/apt/lists", 0, 0)]})
	count(apt_cache_not_cleaned.deny) == 0 with input as t.clean_image
}

test_unknown_counts if {
	some r in apt_cache_not_cleaned.deny with input as t.with_files({"package_caches": [cache("apt", "/var/lib/apt/lists", null, null)]})
	r.msg == "apt package lists or archives left in /var/lib/apt/lists: remove /var/lib/apt/lists/* in the RUN that installs (and apt-get clean)"
}
