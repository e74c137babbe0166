package posture.image.extra_root_account_test

import data.posture.lib.image.testing as t
import data.posture.image.extra_root_account

test_extra_root if {
	results := extra_root_account.deny with input as t.with_accounts([t.user("root", 0), t.user("toor", 0), t.user("app", 1000)], [])
	count(results) == 1
	some r in results
	r.key == "accounts.users.toor"
	r.msg == "Account 'toor' has UID 0: it is root under another name"
}

test_root_alone_passes if {
	count(extra_root_account.deny) == 0 with input as t.clean_image
	count(extra_root_account.deny) == 0 with input as t.with_accounts([t.user("root", 0), t.user("app", 1000), t.user("bin", 1)], [])
}

# Only UID 0 matters, not GID 0.
test_gid_zero_is_not_root if {
	count(extra_root_account.deny) == 0 with input as t.with_accounts([t.user("root", 0), object.union(t.user("sync", 4), {"gid": 0})], [])
}

test_every_extra_root if {
	results := extra_root_account.deny with input as t.with_accounts([t.user("toor", 0), t.user("admin", 0)], [])
	t.keys(results) == {"accounts.users.toor", "accounts.users.admin"}
}
