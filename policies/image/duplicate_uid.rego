# METADATA
# scope: package
# title: Accounts sharing a UID, or groups sharing a GID
# description: >-
#   Two accounts of /etc/passwd with the same UID are the same user to the kernel: files, processes
#   and permissions of one belong to the other, and audit trails cannot tell them apart. The same
#   holds for two groups of /etc/group with one GID. One finding per duplicated UID or GID, naming
#   every account or group that has it (UID 0 shared with root is also extra-root-account).
# related_resources:
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0002
# custom:
#   id: img-duplicate-uid
#   control: duplicate-uid
#   severity: medium
#   theme: image
#   remediation: Give every account its own UID and every group its own GID (usermod -u, groupmod -g), or remove the duplicates.
package posture.image.duplicate_uid

import data.posture.lib.image as img

deny contains {"msg": msg, "key": sprintf("accounts.uid.%v", [uid])} if {
	some uid in duplicated([u.uid | some u in img.users; is_number(u.uid)])
	names := sort([name_of(u) | some u in img.users; u.uid == uid])
	msg := sprintf("UID %v is shared by %d accounts: %s", [uid, count(names), concat(", ", names)])
}

deny contains {"msg": msg, "key": sprintf("accounts.gid.%v", [gid])} if {
	some gid in duplicated([g.gid | some g in img.groups; is_number(g.gid)])
	names := sort([name_of(g) | some g in img.groups; g.gid == gid])
	msg := sprintf("GID %v is shared by %d groups: %s", [gid, count(names), concat(", ", names)])
}

# The ids that occur more than once (neighbours after sorting: linear in the number of accounts).
duplicated(ids) := {v | some i, v in sorted; i > 0; v == sorted[i - 1]} if {
	sorted := sort(ids)
}

name_of(entry) := entry.name if is_string(entry.name) else := "(no name)"
