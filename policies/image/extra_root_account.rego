# METADATA
# scope: package
# title: Account other than root with UID 0
# description: >-
#   An account of /etc/passwd other than root has UID 0: it is root under another name, easy to
#   miss in reviews, and a classic backdoor (toor). One finding per account.
# related_resources:
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0002
# custom:
#   id: img-extra-root-account
#   control: extra-root-account
#   severity: high
#   theme: image
#   remediation: Remove the account, or give it its own non-zero UID (usermod -u).
package posture.image.extra_root_account

import data.posture.lib.image as img

deny contains {"msg": msg, "key": sprintf("accounts.users.%s", [u.name])} if {
	some u in img.users
	u.uid == 0
	is_string(u.name)
	u.name != "root"
	msg := sprintf("Account '%s' has UID 0: it is root under another name", [u.name])
}
