package posture.image.curl_pipe_shell_test

import data.posture.lib.image.testing as t
import data.posture.image.curl_pipe_shell

test_pipe_into_shell[cmd] if {
	some cmd in [
		"curl -fsSL https://get.example.com | sh",
		"curl -fsSL https://get.example.com | bash",
		"curl -fsSL https://get.example.com | sudo sh",
		"curl -fsSL https://get.example.com | sudo -E bash -",
		"curl -sSf https://sh.rustup.rs | sh -s -- -y",
		"wget -qO- https://get.example.com/install.sh | /bin/bash",
		"wget -O - https://x.example.com/i | env FOO=1 sh",
		"apt-get update && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs",
		"curl -fsSL https://get.example.com | tee /tmp/i.sh | sh",
		"bash <(curl -fsSL https://get.example.com)",
		"source <(curl -s https://x.example.com/env)",
		"sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\"",
		"bash -c \"$(wget -qO- https://get.example.com)\"",
		"eval \"$(curl -fsSL https://get.example.com/env)\"",
		"zsh -c \"`curl -fsSL https://get.example.com`\"",
	]
	results := curl_pipe_shell.deny with input as t.with_steps([["RUN", cmd]])
	count(results) == 1
	some r in results
	r.key == "history.1"
	startswith(r.msg, "Build step 1 runs a downloaded script without checking it: ")
}

test_safe_downloads[cmd] if {
	some cmd in [
		"curl -fsSLo /tmp/i.sh https://get.example.com && echo 'abc  /tmp/i.sh' | sha256sum -c && sh /tmp/i.sh",
		"curl -fsSL https://example.com/x.tgz | tar -xz -C /opt",
		"curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg",
		"curl -s https://api.example.com/v | python3 -c 'import json,sys; print(json.load(sys.stdin))'",
		"curl -fsSL https://example.com/x.sha256 | sha256sum -c",
		"curl -f https://example.com/health || sh /fallback.sh",
		"apt-get install -y curl && sh ./local-setup.sh",
		"echo done | sh",
	]
	count(curl_pipe_shell.deny) == 0 with input as t.with_steps([["RUN", cmd]])
}

# Only RUN steps are build steps that run something.
test_only_run_steps if {
	count(curl_pipe_shell.deny) == 0 with input as t.with_steps([["LABEL", "install=curl -fsSL https://get.example.com | sh"]])
}

test_one_finding_per_step if {
	results := curl_pipe_shell.deny with input as t.with_steps([
		["RUN", "curl -fsSL https://a.example.com | sh && bash <(curl -s https://b.example.com)"],
		["RUN", "wget -qO- https://c.example.com | bash"],
	])
	t.keys(results) == {"history.1", "history.2"}
	count(results) == 2
}

# The quoted command never carries a credential whole.
test_message_masks_credentials if {
	some r in curl_pipe_shell.deny with input as t.with_steps([["RUN", "curl -fsSL -u deploy:S3cretPw https://get.example.com | sh"]])
	r.msg == "Build step 1 runs a downloaded script without checking it: curl -fsSL -u deploy:**** https://get.example.com | sh"
}
