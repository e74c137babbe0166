package posture.image.world_writable_test

import data.posture.lib.image.testing as t
import data.posture.image.world_writable

entry(path, type, permissions, mode, sticky) := {"path": path, "type": type, "permissions": permissions, "mode": mode, "sticky": sticky, "layer": 0}

test_outside_tmp_reported[path] if {
	some path in ["/var/cache/app", "/app/uploads", "/etc/app.conf", "/tmpdata", "/var/tmpx/y", "/run", "/"]
	results := world_writable.deny with input as t.with_files({"world_writable": [entry(path, "dir", "0777", 511, false)]})
	t.paths(results) == {path}
}

test_tmp_dirs_exempt[path] if {
	some path in ["/tmp", "/tmp/build", "/var/tmp", "/var/tmp/x/y.log", "/dev/shm", "/run/lock", "/var/lock", "/var/lock/subsys"]
	count(world_writable.deny) == 0 with input as t.with_files({"world_writable": [
		entry(path, "dir", "0777", 511, false),
		entry(path, "dir", "1777", 1023, true),
	]})
}

test_device_nodes_exempt if {
	count(world_writable.deny) == 0 with input as t.with_files({"world_writable": [entry("/dev/null", "char", "0666", 438, false)]})
}

test_other_device_reported if {
	some r in world_writable.deny with input as t.with_files({"world_writable": [entry("/dev/sda", "block", "0666", 438, false)]})
	r.msg == "/dev/sda is a world-writable block (0666)"
}

# A sticky directory outside the tmp dirs is still reported, and the message says sticky.
test_sticky_outside_tmp if {
	some r in world_writable.deny with input as t.with_files({"world_writable": [entry("/var/spool/uploads", "dir", "1777", 1023, true)]})
	r.path == "/var/spool/uploads"
	contains(r.msg, "sticky bit")
	contains(r.msg, "1777")
}

test_sticky_from_mode if {
	some r in world_writable.deny with input as t.with_files({"world_writable": [object.remove(entry("/srv/x", "dir", "1777", 1023, true), ["sticky"])]})
	contains(r.msg, "sticky bit")
}

test_file_message if {
	some r in world_writable.deny with input as t.with_files({"world_writable": [entry("/app/start.sh", "file", "0777", 511, false)]})
	r.msg == "/app/start.sh is a world-writable file (0777)"
}

test_clean_image_tmp_only if {
	count(world_writable.deny) == 0 with input as t.clean_image
}
