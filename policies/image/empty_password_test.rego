package posture.image.empty_password_test

import data.posture.lib.image.testing as t
import data.posture.image.empty_password

account(name, uid, password) := object.union(t.user(name, uid), {"password": password})

test_empty_password if {
	results := empty_password.deny with input as t.with_accounts([account("root", 0, "locked"), account("guest", 1001, "empty")], [])
	count(results) == 1
	some r in results
	r.key == "accounts.users.guest"
	r.msg == "Account 'guest' (UID 1001) has an empty password: anyone can log in or su to it without one"
}

test_root_with_empty_password if {
	results := empty_password.deny with input as t.with_accounts([account("root", 0, "empty")], [])
	t.keys(results) == {"accounts.users.root"}
}

test_other_states_pass[state] if {
	some state in ["locked", "set", "unknown", null, ""]
	count(empty_password.deny) == 0 with input as t.with_accounts([account("root", 0, state), account("app", 1000, state)], [])
}

test_one_per_account if {
	results := empty_password.deny with input as t.with_accounts([account("a", 1000, "empty"), account("b", 1001, "empty")], [])
	t.keys(results) == {"accounts.users.a", "accounts.users.b"}
}
