package posture.image.setuid_file_test

import data.posture.lib.image.testing as t
import data.posture.image.setuid_file

file(path, permissions, mode, setuid, setgid, uid, gid) := {
	"path": path, "permissions": permissions, "mode": mode, "setuid": setuid, "setgid": setgid,
	"uid": uid, "gid": gid, "layer": 0,
}

test_one_finding_per_file if {
	results := setuid_file.deny with input as t.with_files({"setuid": [
		file("/usr/bin/su", "4755", 2541, true, false, 0, 0),
		file("/usr/bin/passwd", "4755", 2541, true, false, 0, 0),
		file("/usr/bin/chage", "2755", 1517, false, true, 0, 42),
	]})
	t.paths(results) == {"/usr/bin/su", "/usr/bin/passwd", "/usr/bin/chage"}
}

test_setuid_root_message if {
	some r in setuid_file.deny with input as t.with_files({"setuid": [file("/usr/bin/su", "4755", 2541, true, false, 0, 0)]})
	r.msg == "/usr/bin/su is setuid root (4755)"
}

test_setgid_message if {
	some r in setuid_file.deny with input as t.with_files({"setuid": [file("/usr/bin/chage", "2755", 1517, false, true, 0, 42)]})
	r.msg == "/usr/bin/chage is setgid (group 42) (2755)"
}

test_both_bits if {
	some r in setuid_file.deny with input as t.with_files({"setuid": [file("/opt/tool", "6755", 3565, true, true, 1000, 0)]})
	r.msg == "/opt/tool is setuid (owner 1000) and setgid root (6755)"
}

# Without the booleans the bits come from the mode.
test_bits_from_mode if {
	f := object.remove(file("/opt/x", "4750", 2536, true, false, 0, 0), ["setuid", "setgid"])
	some r in setuid_file.deny with input as t.with_files({"setuid": [f]})
	contains(r.msg, "setuid root")
	not contains(r.msg, "setgid")
}

test_no_bit_no_finding if {
	count(setuid_file.deny) == 0 with input as t.with_files({"setuid": [file("/opt/x", "0755", 493, false, false, 0, 0)]})
	count(setuid_file.deny) == 0 with input as t.clean_image
}
