# METADATA
# scope: package
# title: Account with an empty password
# description: >-
#   An account of /etc/shadow (or /etc/passwd without shadow) has an empty password field
#   (accounts.users[].password == "empty"): anyone can become that user without a password (su,
#   login, any PAM service in the container), root included when it is root. Locked (!, *) and
#   hashed passwords are not findings. One finding per account.
# related_resources:
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0001
# custom:
#   id: img-empty-password
#   control: empty-password
#   severity: high
#   theme: image
#   remediation: Lock the account (passwd -l NAME, or usermod -p '*' NAME) or remove it, in the Dockerfile.
package posture.image.empty_password

import data.posture.lib.image as img

deny contains {"msg": msg, "key": sprintf("accounts.users.%s", [u.name])} if {
	some u in img.users
	u.password == "empty"
	is_string(u.name)
	msg := sprintf("Account '%s'%s has an empty password: anyone can log in or su to it without one", [u.name, uid_text(u.uid)])
}

uid_text(uid) := sprintf(" (UID %v)", [uid]) if is_number(uid) else := ""
