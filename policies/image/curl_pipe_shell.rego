# METADATA
# scope: package
# title: Download piped into a shell
# description: >-
#   A RUN step runs whatever a URL serves: curl or wget output piped into a shell (| sh, | bash,
#   | sudo sh, | sh -s --, | /bin/bash), fed to one by process substitution (bash <(curl ...),
#   source <(curl ...)) or by command substitution (sh -c "$(curl ...)", eval "$(wget ...)"). No
#   checksum or signature is checked, so a compromised or spoofed server, or a changed script, ends
#   up in the image unnoticed. Shells only (sh, bash, dash, zsh, ksh, ash): piping into python or
#   jq usually parses data rather than runs it, and is not reported. One finding per step.
# related_resources:
#   - ref: https://docs.docker.com/build/building/best-practices/#using-pipes
# custom:
#   id: img-curl-pipe-shell
#   control: curl-pipe-shell
#   severity: medium
#   theme: supply-chain
#   remediation: Download the script to a file, verify its checksum or signature (sha256sum -c, gpg --verify), then run it; better, install a pinned package or COPY a reviewed copy of the script.
package posture.image.curl_pipe_shell

import data.posture.lib.image as img

deny contains {"msg": msg, "key": s.key} if {
	some s in img.run_steps
	some p in patterns
	regex.match(p, s.command)
	msg := sprintf("Build step %d runs a downloaded script without checking it: %s", [s.index, img.show(s.command)])
}

shell := `(?:[^\s;&|()]*/)?(?:ba|da|z|k|a)?sh`

download := `\b(?:curl|wget)\b`

patterns := [
	# curl ... | [sudo [-E]] [env A=b] sh ...   (other pipes between are allowed; || is not a pipe)
	concat("", [download, `(?:[^;&|]|\|[^|])*?\|\s*(?:sudo(?:\s+-\S+)*\s+)?(?:env(?:\s+\S+=\S*)*\s+)?`, shell, `(?:\s|$|[;&|)])`]),
	# bash <(curl ...), source <(curl ...), . <(curl ...)
	concat("", [`(?:^|[\s;&|(])(?:`, shell, `(?:\s+-\S+)*|source|\.)\s+<\(\s*`, download]),
	# sh -c "$(curl ...)", eval "$(curl ...)", also with backquotes
	concat("", [`(?:(?:^|[\s;&|(])`, shell, `(?:\s+-\S+)*\s+-c|\beval)\s+["']?(?:\$\(|\x60)\s*`, download]),
]
