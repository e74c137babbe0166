# METADATA
# scope: package
# title: sudo used in a build step or installed
# description: >-
#   sudo in an image is either unnecessary (build steps run as root unless a USER says otherwise:
#   sudo in a RUN means the build switched to a user and back) or a way up to root for whoever gets
#   a shell in the container, behind a sudoers file few review. Reported: a RUN step that runs sudo
#   as a command (not one that merely names the package, as apt-get install sudo), one finding per
#   step; and sudo installed, one finding at the binary's path (a files.tools entry ending in
#   /sudo), or at the package (a packages entry sudo, sudo-ldap or sudo-rs) when no binary was
#   listed.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#user
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0001
# custom:
#   id: img-sudo-in-image
#   control: sudo-in-image
#   severity: medium
#   theme: image
#   remediation: Run privileged build steps before the USER instruction instead of with sudo, and do not install sudo (use gosu or su-exec in an entrypoint that needs to drop privileges).
package posture.image.sudo_in_image

import data.posture.lib.image as img

deny contains {"msg": msg, "key": s.key} if {
	some s in img.run_steps
	img.uses_command(s.command, "sudo")
	msg := sprintf("Build step %d runs sudo: %s", [s.index, img.show(s.command)])
}

deny contains {"msg": msg, "path": path} if {
	some path in binaries
	msg := sprintf("sudo is installed at %s%s", [path, installed_text])
}

deny contains {"msg": msg, "key": sprintf("packages.%s", [p.name])} if {
	count(binaries) == 0
	some p in sudo_packages
	msg := sprintf("sudo is installed (package %s %v)", [p.name, p.version])
}

binaries contains path if {
	some path in img.files_list("tools")
	is_string(path)
	endswith(path, "/sudo")
}

sudo_packages contains p if {
	some p in img.packages
	sudo_package_names[p.name]
}

sudo_package_names := {"sudo", "sudo-ldap", "sudo-rs"}

installed_text := sprintf(" (package %s)", [concat(", ", sort(versions))]) if {
	versions := [sprintf("%s %v", [p.name, p.version]) | some p in sudo_packages]
	count(versions) > 0
} else := ""
