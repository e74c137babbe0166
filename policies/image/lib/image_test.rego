package posture.lib.image_test

import data.posture.lib.image as img
import data.posture.lib.image.testing as t

# Every built-in image rule package, one per control of the "Container images" section.
rule_packages := [
	"run_as_root", "secret_in_env", "secret_in_history", "secret_file", "deleted_secret_in_layer",
	"setuid_file", "world_writable", "empty_password", "duplicate_uid", "extra_root_account",
	"no_healthcheck", "add_instead_of_copy", "sudo_in_image", "curl_pipe_shell",
	"apt_cache_not_cleaned", "update_without_install", "sensitive_port", "sensitive_volume",
	"unnecessary_files", "latest_tag", "stale",
]

test_every_control_has_a_package if {
	count(rule_packages) == 21
	every pkg in rule_packages {
		is_set(data.posture.image[pkg].deny)
	}
	count({name | some name, _ in data.posture.image; not endswith(name, "_test")}) == 21
}

test_clean_image_passes_every_rule if {
	every pkg in rule_packages {
		data.posture.image[pkg].deny == set() with input as t.clean_image
	}
}

# Results are {msg, path} or {msg, key}, never both, never anything else.
test_result_shape if {
	every pkg in rule_packages {
		results := data.posture.image[pkg].deny with input as worst_image
		every r in results {
			is_string(r.msg)
			count(object.keys(r)) == 2
			shape_ok(r)
		}
	}
}

shape_ok(r) if startswith(r.path, "/")

shape_ok(r) if {
	is_string(r.key)
	r.key != ""
}

# Every package fires on an image with everything wrong at once.
test_worst_image_fires_every_rule if {
	every pkg in rule_packages {
		count(data.posture.image[pkg].deny) > 0 with input as worst_image
	}
}

worst_image := t.image({
	"reference": {"registry": "registry-1.docker.io", "repository": "library/shop", "tag": null, "digest": null},
	"age_days": 900,
	"config": object.union(t.clean_image.config, {
		"user": "",
		"env": [{"name": "DB_PASSWORD", "value": "hunter2-prod-password"}],
		"exposed_ports": [{"port": 22, "protocol": "tcp", "spec": "22/tcp"}],
		"volumes": ["/proc"],
		"healthcheck": null,
	}),
	"history": t.history([
		["ARG", "GITHUB_TOKEN=ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"],
		["ADD", "app.tar.gz /app/"],
		["RUN", "apt-get update"],
		["RUN", "curl -fsSL https://get.example.com | sudo sh"],
	]),
	"accounts": {
		"users": [t.user("root", 0), t.user("toor", 0), object.union(t.user("guest", 1001), {"password": "empty"})],
		"groups": [{"name": "root", "gid": 0, "members": []}],
	},
	"files": object.union(t.clean_image.files, {
		"setuid": [{"path": "/usr/bin/su", "permissions": "4755", "mode": 2541, "setuid": true, "setgid": false, "uid": 0, "gid": 0, "layer": 0}],
		"world_writable": [{"path": "/var/cache/app", "type": "dir", "permissions": "0777", "mode": 511, "sticky": false, "layer": 0}],
		"secrets": [{"path": "/root/.ssh/id_rsa", "kind": "private-key", "layer": 1, "evidence": "-----BEGIN OPENSSH PRIVATE KEY-----"}],
		"deleted_secrets": [{"path": "/root/.aws/credentials", "kind": "aws-credentials", "layer": 1, "deleted_in": 2, "evidence": "aws_secret_access_key = wJ****"}],
		"unnecessary": ["/app/.git"],
		"tools": ["/usr/bin/sudo"],
		"package_caches": [{"manager": "apt", "path": "/var/lib/apt/lists", "files": 12, "bytes": 40960}],
	}),
})

# A document with every field null or empty passes every rule (nothing to judge), except the
# controls that fire on an absent value: no USER is root, no HEALTHCHECK is a finding.
test_null_document if {
	doc := {
		"name": null, "source": "archive", "reference": null, "digest": null, "config_digest": null,
		"created": null, "age_days": null, "size": null, "platform": null,
		"config": null, "history": [], "layers": [], "os": null,
		"accounts": {"users": [], "groups": []}, "packages": [],
		"files": null,
	}
	every pkg in rule_packages {
		fired := count(data.posture.image[pkg].deny) > 0 with input as doc
		fired == (pkg in {"run_as_root", "no_healthcheck"})
	}
}

test_mask if {
	img.mask("hunter2-prod-password") == "hu****"
	img.mask("Xq7Lm2Pz9Rt4") == "Xq****"
	img.mask("Zr8vQp2LmX4") == "****"
	img.mask("") == "****"
}

test_short if {
	img.short("  apt-get update\n") == "apt-get update"
	s := img.short(concat("", ["echo ", concat("", [x | some _ in numbers.range(1, 100); x := "a"])]))
	count(s) == 80
	endswith(s, "...")
}

test_credential_names[name] if {
	some name in [
		"DB_PASSWORD", "PASSWORD", "db_password", "dbPassword", "DBPASSWORD", "MYSQL_ROOT_PASSWORD",
		"REDIS_PASS", "API_KEY", "apiKey", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "CLIENT_SECRET",
		"PRIVATE_KEY", "SECRET_KEY_BASE", "db.password", "NPM_AUTH_TOKEN",
	]
	img.credential_name(name)
}

test_not_credential_names[name] if {
	some name in [
		"PATH", "PWD", "OLDPWD", "PASSWORD_FILE", "DB_PASSWORD_PATH", "SECRET_NAME", "TOKEN_URL",
		"AWS_ACCESS_KEY_ID", "BYPASS_CACHE", "COMPASS_HOST", "GPG_KEY", "CACHE_KEY", "MAX_TOKENS",
	]
	not img.credential_name(name)
}

test_reference_values[v] if {
	some v in ["", "  ", "/run/secrets/db", "/var/run/secrets/db/password", "$DB_PASSWORD", "${DB_PASSWORD}",
		"${DB_PASSWORD:-}", "$(cat /run/secrets/x)", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
		"true", "False", "on"]
	img.reference_value(v)
}

test_literal_values[v] if {
	some v in ["hunter2", "/run/secretsx", "$DB PASSWORD", "prefix${VAR}", "truely"]
	not img.reference_value(v)
}

test_shapes[kind] if {
	some [kind, text] in [
		["AWS access key id", "id=AKIAQ3EGRT5YZQPLMN7X,"],
		["AWS access key id", "ASIAQ3EGRT5YZQPLMN7X"],
		["GitHub token", "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"],
		["GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"],
		["Slack token", "xoxb-1234567890-abcdefghij"],
		["Stripe live key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
		["private key", "-----BEGIN RSA PRIVATE KEY-----"],
		["private key", "-----BEGIN OPENSSH PRIVATE KEY-----"],
		["JSON Web Token", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
		["password in URL", "postgres://app:s3cr3t-pw@db:5432/app"],
		["Google API key", "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"],
	]
	img.first_shape(text)[0] == kind
}

test_no_shapes[text] if {
	some text in [
		"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "AKIA-not-a-key", "https://example.com/path", "postgres://app:${PW}@db/app",
		"https://user:****@host/x", "-----BEGIN PUBLIC KEY-----", "ghp_short", "/usr/local/bin:/usr/bin",
		"eyJhbGciOiJIUzI1NiJ9", "git@github.com:org/repo.git",
	]
	not img.first_shape(text)
}

test_describe_shape_masks if {
	img.describe_shape(img.first_shape("token ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi")) == "GitHub token (gh****)"
	img.describe_shape(img.first_shape("git clone https://bob:hunter22@git.example.com/x")) == "password in URL (https://****@)"
}

test_tmp_dirs[p] if {
	some p in ["/tmp", "/tmp/", "/tmp/x/y", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock/subsys", "//tmp//a"]
	img.in_tmp_dir(p)
}

test_not_tmp_dirs[p] if {
	some p in ["/", "/tmpfoo", "/var", "/var/cache/tmp", "/app/tmp", "/run", "/dev"]
	not img.in_tmp_dir(p)
}

test_clean_path if {
	img.clean_path("//proc//") == "/proc"
	img.clean_path("/") == "/"
	img.clean_path("///") == "/"
	img.basename("/app/.git/") == ".git"
}

test_uses_command[cmd] if {
	some cmd in [
		"sudo apt-get install -y x", "apt-get update && sudo apt-get install x", "true; sudo ls",
		"x || /usr/bin/sudo -E ls", "if true; then sudo ls; fi", "echo $(sudo id)", "(sudo ls)",
		"echo x | sudo tee /etc/x", "find . | xargs sudo rm",
	]
	img.uses_command(cmd, "sudo")
}

test_not_uses_command[cmd] if {
	some cmd in [
		"apt-get install -y sudo", "echo sudo", "cp sudoers /etc/sudoers.d/app", "pseudo ls",
		"rm -f /usr/bin/sudo-old", "ls /etc/sudo",
	]
	not img.uses_command(cmd, "sudo")
}

test_steps_keys if {
	keys := {s.key | some s in img.steps} with input as t.clean_image
	keys == {"history.0", "history.1", "history.2", "history.3", "history.4", "history.5", "history.6", "history.7"}
	runs := {s.index | some s in img.run_steps} with input as t.clean_image
	runs == {2}
}

# A step without index is numbered by its position; a null command falls back to created_by.
test_steps_fallbacks if {
	doc := {"history": [{"created_by": "/bin/sh -c apt-get update", "instruction": "RUN", "command": null}]}
	some s in img.run_steps with input as doc
	s.key == "history.0"
	s.command == "/bin/sh -c apt-get update"
}

test_secret_kind if {
	img.secret_kind("private-key") == "a private key"
	img.secret_kind("age-key") == "a credential (age-key)"
	img.secret_kind(null) == "a credential"
}

test_human_bytes if {
	img.human_bytes(40960) == "40 KB"
	img.human_bytes(512) == "512 bytes"
	img.human_bytes(5242880) == "5 MB"
	img.human_bytes(3221225472) == "3 GB"
}

test_redact[case] if {
	some case in [
		["mysql -uroot -pS3cretPw shop", "mysql -uroot -p**** shop"],
		["DB_PASSWORD=hunter2-prod ./seed.sh", "DB_PASSWORD=**** ./seed.sh"],
		["export API_TOKEN='tok-123456789' && curl x | sh", "export API_TOKEN=**** && curl x | sh"],
		["git clone https://ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi@github.com/o/r", "git clone https://gh****@github.com/o/r"],
		["curl -u admin:S3cretPw https://x | sh", "curl -u admin:**** https://x | sh"],
		["git clone https://bob:hunter22@git.example.com/x", "git clone https://****@git.example.com/x"],
		["apt-get update && apt-get install -y curl", "apt-get update && apt-get install -y curl"],
		["PASSWORD=$PW ./run", "PASSWORD=$PW ./run"],
	]
	img.redact(case[0]) == case[1]
}

test_show_masks_and_shortens if {
	s := img.show(concat("", ["sudo mysql -pS3cretPw ", concat("", [x | some _ in numbers.range(1, 100); x := "a"])]))
	not contains(s, "S3cret")
	count(s) == 80
}

test_step_builder if {
	s := t.step(3, "ENV", "A=b")
	s.empty_layer == true
	s.layer == null
	s.created_by == "ENV A=b # buildkit"
	c := t.step(4, "COPY", "a /a")
	c.empty_layer == false
	c.layer == 4
}
