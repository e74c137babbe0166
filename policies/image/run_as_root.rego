# METADATA
# scope: package
# title: Image runs as root
# description: >-
#   The image's default user (config.User) is empty, root or UID 0, so every container started
#   from it runs as root unless the runtime overrides it; root in a container is one kernel or
#   runtime bug away from root on the host. A group part does not matter (0:0 and root:root are
#   root, 1000:0 is not); a user name that /etc/passwd maps to UID 0 (toor) counts as root too.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#user
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0001
# custom:
#   id: img-run-as-root
#   control: image-run-as-root
#   severity: high
#   theme: image
#   remediation: Create an unprivileged user and add a USER instruction with its non-zero UID (USER 10001) as the last one.
package posture.image.run_as_root

import data.posture.lib.image as img

deny contains {"msg": sprintf("Image runs as root: %s", [reason]), "key": "config.User"} if {
	reason := root_reason(user)
}

# config.User, trimmed ("" when absent or null: Docker then runs the container as root).
user := trim_space(u) if {
	u := img.config_field("user")
	is_string(u)
} else := ""

# The user part of USER user[:group].
user_part(u) := trim_space(split(u, ":")[0])

root_reason(u) := "no USER is set, so containers run as UID 0" if {
	u == ""
} else := sprintf("USER is '%s'", [u]) if {
	user_part(u) == "root"
} else := sprintf("USER is '%s' (UID 0)", [u]) if {
	regex.match(`^0+$`, user_part(u))
} else := sprintf("USER is '%s', which /etc/passwd maps to UID 0", [u]) if {
	some account in img.users
	account.name == user_part(u)
	account.uid == 0
}
