package posture.image.run_as_root_test

import data.posture.lib.image.testing as t
import data.posture.image.run_as_root

test_root_users[user] if {
	some user in ["", " ", "root", "0", "0:0", "root:root", "0:1000", "root:staff", "00", " root "]
	results := run_as_root.deny with input as t.with_config({"user": user})
	count(results) == 1
	some r in results
	r.key == "config.User"
	startswith(r.msg, "Image runs as root")
}

test_non_root_users[user] if {
	some user in ["10001", "1000:0", "app", "app:root", "nobody", "65534:65534", "rootless", "10"]
	count(run_as_root.deny) == 0 with input as t.with_config({"user": user})
}

test_null_user_is_root if {
	some r in run_as_root.deny with input as t.with_config({"user": null})
	contains(r.msg, "no USER is set")
}

test_messages_say_why if {
	some r1 in run_as_root.deny with input as t.with_config({"user": "0:0"})
	contains(r1.msg, "USER is '0:0' (UID 0)")
	some r2 in run_as_root.deny with input as t.with_config({"user": "root"})
	contains(r2.msg, "USER is 'root'")
}

# A name that /etc/passwd maps to UID 0 is root under another name.
test_name_with_uid_zero if {
	doc := object.union(t.with_config({"user": "toor:wheel"}), {"accounts": {"users": [t.user("root", 0), t.user("toor", 0)], "groups": []}})
	some r in run_as_root.deny with input as doc
	contains(r.msg, "maps to UID 0")
}

test_name_with_other_uid if {
	doc := object.union(t.with_config({"user": "app"}), {"accounts": {"users": [t.user("root", 0), t.user("app", 0.5)], "groups": []}})
	count(run_as_root.deny) == 0 with input as doc
}
