# METADATA
# scope: package
# title: World-writable file or directory outside the temporary directories
# description: >-
#   Any user in the container can change a world-writable file (a script, a configuration, a library
#   another process loads) or plant files in a world-writable directory. Temporary directories are
#   exempt with everything below them: /tmp, /var/tmp, /dev/shm, /run/lock and /var/lock; so are the
#   device nodes meant to be writable by all (/dev/null, /dev/zero, /dev/full, /dev/random,
#   /dev/urandom, /dev/tty, /dev/ptmx). A sticky directory elsewhere is still reported (the sticky
#   bit only stops users deleting each other's files) and the message says it is sticky. One finding
#   per path (files.world_writable, symlinks excluded by the analyzer).
# related_resources:
#   - ref: https://www.cisecurity.org/benchmark/docker
# custom:
#   id: img-world-writable
#   control: world-writable
#   severity: medium
#   theme: image
#   remediation: Remove write permission for others (chmod o-w) and give the directory to the user that needs it (chown), in the same RUN that creates it.
package posture.image.world_writable

import data.posture.lib.image as img

deny contains {"msg": msg, "path": f.path} if {
	some f in img.files_list("world_writable")
	is_object(f)
	is_string(f.path)
	not img.in_tmp_dir(f.path)
	not writable_devices[img.clean_path(f.path)]
	msg := sprintf("%s is a world-writable %s (%s)", [f.path, what(f), permissions(f)])
}

writable_devices := {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx"}

what(f) := "directory with the sticky bit, outside the temporary directories" if {
	f.type == "dir"
	sticky(f)
} else := "directory" if {
	f.type == "dir"
} else := "file" if {
	f.type == "file"
} else := f.type if {
	is_string(f.type)
} else := "path"

sticky(f) if f.sticky == true

sticky(f) if {
	not is_boolean(object.get(f, "sticky", null))
	is_number(f.mode)
	bits.and(f.mode, 512) != 0
}

permissions(f) := f.permissions if is_string(f.permissions) else := sprintf("%o", [f.mode]) if is_number(f.mode) else := "mode unknown"
