package posture.image.sudo_in_image_test

import data.posture.lib.image.testing as t
import data.posture.image.sudo_in_image

test_sudo_in_run[cmd] if {
	some cmd in [
		"sudo apt-get install -y curl",
		"apt-get update && sudo apt-get install -y curl",
		"echo 'deb x' | sudo tee /etc/apt/sources.list.d/x.list",
		"/usr/bin/sudo -u app ./setup.sh",
		"if [ -f x ]; then sudo rm x; fi",
	]
	results := sudo_in_image.deny with input as t.with_steps([["USER", "app"], ["RUN", cmd]])
	count(results) == 1
	some r in results
	r.key == "history.2"
	startswith(r.msg, "Build step 2 runs sudo: ")
}

test_sudo_not_a_command[cmd] if {
	some cmd in [
		"apt-get install -y sudo",
		"echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app",
		"apt-get purge -y sudo",
		"chmod 0440 /etc/sudoers",
	]
	count(sudo_in_image.deny) == 0 with input as t.with_steps([["RUN", cmd]])
}

# Only RUN steps: a label or an env value naming sudo is no build step running it.
test_only_run_steps if {
	count(sudo_in_image.deny) == 0 with input as t.with_steps([["LABEL", "note=sudo make me a sandwich"], ["ENTRYPOINT", "[\"sudo\", \"app\"]"]])
}

test_installed_binary if {
	results := sudo_in_image.deny with input as t.with_files({"tools": ["/usr/bin/curl", "/usr/bin/sudo"]})
	count(results) == 1
	some r in results
	r.path == "/usr/bin/sudo"
	r.msg == "sudo is installed at /usr/bin/sudo"
}

test_installed_binary_and_package if {
	doc := object.union(t.with_files({"tools": ["/usr/bin/sudo"]}), {"packages": [{"manager": "dpkg", "name": "sudo", "version": "1.9.13p3-1+deb12u1", "architecture": "amd64", "source": "sudo", "source_version": "1.9.13p3-1+deb12u1"}]})
	results := sudo_in_image.deny with input as doc
	count(results) == 1
	some r in results
	r.path == "/usr/bin/sudo"
	r.msg == "sudo is installed at /usr/bin/sudo (package sudo 1.9.13p3-1+deb12u1)"
}

# The package alone (no binary listed) is reported at the package.
test_package_only if {
	doc := t.image({"packages": [{"manager": "apk", "name": "sudo", "version": "1.9.15_p5-r0", "architecture": "x86_64", "source": "sudo", "source_version": null}]})
	results := sudo_in_image.deny with input as doc
	t.keys(results) == {"packages.sudo"}
}

test_not_sudo if {
	count(sudo_in_image.deny) == 0 with input as t.clean_image
	count(sudo_in_image.deny) == 0 with input as t.with_files({"tools": ["/usr/bin/su", "/usr/bin/sudoedit-helper", "/usr/bin/pseudo"]})
	count(sudo_in_image.deny) == 0 with input as t.image({"packages": [{"manager": "dpkg", "name": "sudo-doc", "version": "1", "architecture": "all", "source": "sudo", "source_version": "1"}]})
}

test_message_masks_credentials if {
	some r in sudo_in_image.deny with input as t.with_steps([["RUN", "sudo GITHUB_TOKEN=tok-123456789abc ./release.sh"]])
	r.msg == "Build step 1 runs sudo: sudo GITHUB_TOKEN=**** ./release.sh"
}
