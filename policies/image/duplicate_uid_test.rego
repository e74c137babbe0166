package posture.image.duplicate_uid_test

import data.posture.lib.image.testing as t
import data.posture.image.duplicate_uid

group(name, gid) := {"name": name, "gid": gid, "members": []}

test_duplicate_uid if {
	results := duplicate_uid.deny with input as t.with_accounts([t.user("root", 0), t.user("app", 1000), t.user("svc", 1000), t.user("ops", 1000)], [])
	count(results) == 1
	some r in results
	r.key == "accounts.uid.1000"
	r.msg == "UID 1000 is shared by 3 accounts: app, ops, svc"
}

test_duplicate_gid if {
	results := duplicate_uid.deny with input as t.with_accounts([t.user("root", 0)], [group("root", 0), group("app", 1000), group("staff", 1000)])
	count(results) == 1
	some r in results
	r.key == "accounts.gid.1000"
	r.msg == "GID 1000 is shared by 2 groups: app, staff"
}

# One finding per duplicated id; a UID equal to another account's GID is no duplicate.
test_one_per_id if {
	results := duplicate_uid.deny with input as t.with_accounts(
		[t.user("root", 0), t.user("toor", 0), t.user("a", 1000), t.user("b", 1000), t.user("c", 1001)],
		[group("root", 0), group("wheel", 0), group("c", 1000)],
	)
	t.keys(results) == {"accounts.uid.0", "accounts.uid.1000", "accounts.gid.0"}
}

test_unique_ids_pass if {
	count(duplicate_uid.deny) == 0 with input as t.clean_image
	count(duplicate_uid.deny) == 0 with input as t.with_accounts([t.user("root", 0), t.user("app", 1000)], [group("root", 0), group("app", 1000)])
}

# The same name twice in /etc/passwd is still two accounts with one UID.
test_same_name_twice if {
	results := duplicate_uid.deny with input as t.with_accounts([t.user("app", 1000), t.user("app", 1000)], [])
	t.keys(results) == {"accounts.uid.1000"}
}

test_missing_ids_ignored if {
	count(duplicate_uid.deny) == 0 with input as t.with_accounts([{"name": "a", "uid": null}, {"name": "b", "uid": null}], [{"name": "g"}, {"name": "h"}])
}
