# METADATA
# scope: package
# title: Setuid or setgid file
# description: >-
#   A regular file with the setuid or setgid bit runs with its owner's or group's privileges
#   whoever starts it: a bug in it, or a way to make it run other code, lets a process inside the
#   container become root (or join the group). One finding per file (files.setuid), saying which
#   bit and the owner. Severity low, as Dockle's CIS-DI-0008 (an informational check): most
#   distribution base images ship a few (su, passwd, mount), they matter once an attacker has a
#   shell in the container, and no-new-privileges (allowPrivilegeEscalation false) neutralises them.
# related_resources:
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0008
#   - ref: https://www.cisecurity.org/benchmark/docker
# custom:
#   id: img-setuid-file
#   control: setuid-file
#   severity: low
#   theme: image
#   remediation: Remove the setuid/setgid bits you do not need in the Dockerfile (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +), or remove the binaries; run containers with no-new-privileges.
package posture.image.setuid_file

import data.posture.lib.image as img

deny contains {"msg": msg, "path": f.path} if {
	some f in img.files_list("setuid")
	is_object(f)
	is_string(f.path)
	bits := special_bits(f)
	count(bits) > 0
	msg := sprintf("%s is %s (%s)", [f.path, concat(" and ", bits), permissions(f)])
}

# "setuid root" / "setgid" per bit, from the booleans, else from the mode.
special_bits(f) := [b | some b in [setuid_text(f), setgid_text(f)]; b != ""]

setuid_text(f) := owner_text("setuid", "owner", f.uid) if {
	has_bit(f, "setuid", 2048)
} else := ""

setgid_text(f) := owner_text("setgid", "group", f.gid) if {
	has_bit(f, "setgid", 1024)
} else := ""

has_bit(f, name, _) if f[name] == true

has_bit(f, name, bit) if {
	not is_boolean(object.get(f, name, null))
	is_number(f.mode)
	bits.and(f.mode, bit) != 0
}

owner_text(what, "owner", 0) := concat(" ", [what, "root"])

owner_text(what, "group", 0) := concat(" ", [what, "root"])

owner_text(what, who, id) := sprintf("%s (%s %v)", [what, who, id]) if {
	is_number(id)
	id != 0
}

owner_text(what, _, id) := what if not is_number(id)

permissions(f) := f.permissions if is_string(f.permissions) else := sprintf("%o", [f.mode]) if is_number(f.mode) else := "mode unknown"
