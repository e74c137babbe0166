package posture.image.update_without_install_test

import data.posture.lib.image.testing as t
import data.posture.image.update_without_install

test_update_alone[cmd] if {
	some cmd in [
		"apt-get update",
		"apt-get -qq update",
		"apt update",
		"apt-get -o Acquire::Retries=3 update",
		"apt-get update && rm -rf /var/lib/apt/lists/*",
		"apk update",
		"apk --no-progress update",
		"yum makecache",
		"dnf -y makecache",
		"zypper --non-interactive refresh",
		"apt-get update && apk add curl",
		"/usr/bin/apt-get update",
	]
	results := update_without_install.deny with input as t.with_steps([["RUN", cmd], ["RUN", "apt-get install -y curl"]])
	count(results) == 1
	some r in results
	r.key == "history.1"
	contains(r.msg, "without installing anything in the same step")
}

test_update_with_install[cmd] if {
	some cmd in [
		"apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
		"apt-get update; apt-get -y install curl",
		"apt update && apt install -y curl",
		"apt-get -qq update && apt-get -qq -y upgrade",
		"apt-get update && apt-get dist-upgrade -y",
		"apk update && apk add curl",
		"apk add --update curl",
		"apk --update-cache add curl",
		"apk add --no-cache curl",
		"yum makecache && yum install -y curl",
		"dnf makecache && dnf -y upgrade",
		"zypper refresh && zypper -n in curl",
		"apt-get install -y curl",
		"update-ca-certificates",
		"apt-get update-alternatives",
	]
	count(update_without_install.deny) == 0 with input as t.with_steps([["RUN", cmd]])
}

test_message_names_the_update if {
	some r in update_without_install.deny with input as t.with_steps([["RUN", "apt-get update && apk update && apk add x"]])
	r.msg == "Build step 1 runs apt-get update without installing anything in the same step: apt-get update && apk update && apk add x"
	some r2 in update_without_install.deny with input as t.with_steps([["RUN", "apt-get update && apk update"]])
	startswith(r2.msg, "Build step 1 runs apk update and apt-get update without")
}

test_only_run_steps if {
	count(update_without_install.deny) == 0 with input as t.with_steps([["LABEL", "cmd=apt-get update"]])
	count(update_without_install.deny) == 0 with input as t.clean_image
}
