package posture.image.secret_in_env_test

import data.posture.lib.image.testing as t
import data.posture.image.secret_in_env

with_env(env) := t.with_config({"env": array.concat([{"name": "PATH", "value": "/usr/bin:/bin"}], env)})

test_credential_names[name] if {
	some name in ["DB_PASSWORD", "dbPassword", "MYSQL_ROOT_PASSWORD", "API_KEY", "GITHUB_TOKEN", "CLIENT_SECRET", "SECRET_KEY_BASE"]
	results := secret_in_env.deny with input as with_env([{"name": name, "value": "s3cr3t-value-123"}])
	count(results) == 1
	some r in results
	r.key == sprintf("config.Env.%s", [name])
	contains(r.msg, name)
	contains(r.msg, "(s3****)")
	not contains(r.msg, "s3cr3t")
}

test_not_credential_names[name] if {
	some name in ["APP_ENV", "PASSWORD_FILE", "DB_PASSWORD_PATH", "TOKEN_URL", "AWS_ACCESS_KEY_ID", "GPG_KEY", "PWD"]
	count(secret_in_env.deny) == 0 with input as with_env([{"name": name, "value": "some-literal-value"}])
}

# References and empty values are not secrets.
test_references_pass[value] if {
	some value in ["", "/run/secrets/db_password", "/var/run/secrets/db", "${DB_PASSWORD}", "$DB_PASSWORD", "true", "false"]
	count(secret_in_env.deny) == 0 with input as with_env([{"name": "DB_PASSWORD", "value": value}])
}

# A known shape is a finding whatever the name, and says which shape.
test_shapes_whatever_the_name[case] if {
	some case in [
		["AWS access key id", "AKIAQ3EGRT5YZQPLMN7X"],
		["GitHub token", "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"],
		["GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"],
		["Slack token", "xoxb-1234567890-abcdefghijklmnop"],
		["Stripe live key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
		["private key", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB..."],
		["JSON Web Token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
		["password in URL", "postgres://app:s3cr3t-pw@db:5432/app"],
	]
	results := secret_in_env.deny with input as with_env([{"name": "UPSTREAM", "value": case[1]}])
	count(results) == 1
	some r in results
	r.key == "config.Env.UPSTREAM"
	contains(r.msg, case[0])
	not contains(r.msg, case[1])
}

test_shape_message_masks if {
	some r in secret_in_env.deny with input as with_env([{"name": "X", "value": "AKIAQ3EGRT5YZQPLMN7X"}])
	r.msg == "Environment variable X holds a credential: AWS access key id (AK****)"
}

test_url_password_masked if {
	some r in secret_in_env.deny with input as with_env([{"name": "DATABASE_URL", "value": "postgres://app:s3cr3t-pw@db:5432/app"}])
	contains(r.msg, "postgres://****@")
	not contains(r.msg, "s3cr3t")
}

# One finding per variable when both the name and the value say credential.
test_name_and_shape_one_finding if {
	results := secret_in_env.deny with input as with_env([{"name": "GITHUB_TOKEN", "value": "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"}])
	count(results) == 1
}

test_short_value_fully_masked if {
	some r in secret_in_env.deny with input as with_env([{"name": "DB_PASSWORD", "value": "Zr8vQp2LmX4"}])
	contains(r.msg, "(****)")
	not contains(r.msg, "Zr")
}

test_one_finding_per_entry if {
	results := secret_in_env.deny with input as with_env([
		{"name": "DB_PASSWORD", "value": "hunter2-prod"},
		{"name": "API_TOKEN", "value": "tok-123456789"},
		{"name": "LOG_LEVEL", "value": "info"},
	])
	t.keys(results) == {"config.Env.DB_PASSWORD", "config.Env.API_TOKEN"}
}

test_urls_without_password_pass[value] if {
	some value in ["https://api.example.com/v1", "postgres://app@db/app", "redis://:${REDIS_PASSWORD}@cache:6379"]
	count(secret_in_env.deny) == 0 with input as with_env([{"name": "UPSTREAM_URL", "value": value}])
}

test_malformed_entries_ignored if {
	count(secret_in_env.deny) == 0 with input as t.with_config({"env": [null, {"name": "DB_PASSWORD"}, {"value": "hunter2-prod"}, "DB_PASSWORD=x"]})
	count(secret_in_env.deny) == 0 with input as t.with_config({"env": null})
}
