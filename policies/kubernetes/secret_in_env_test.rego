package posture.kubernetes.secret_in_env_test

import data.posture.lib.kubernetes.testing as t
import data.posture.kubernetes.secret_in_env

with_env(env) := t.spec_with(t.container({"env": env}))

test_credential_names[name] if {
	some name in [
		"DB_PASSWORD", "PASSWORD", "db_password", "dbPassword", "DBPASSWORD", "MYSQL_ROOT_PASSWORD",
		"REDIS_PASS", "SMTP_PWD", "API_KEY", "apiKey", "STRIPE_API_KEY", "AWS_SECRET_ACCESS_KEY",
		"GITHUB_TOKEN", "authToken", "CLIENT_SECRET", "JWT_SECRET", "PRIVATE_KEY", "ACCESS_KEY",
		"GOOGLE_APPLICATION_CREDENTIALS_JSON", "SECRET_KEY_BASE", "PASSPHRASE", "ENCRYPTION_KEY",
	]
	results := secret_in_env.deny with input as t.deployment(with_env([{"name": "LOG_LEVEL", "value": "info"}, {"name": name, "value": "s3cr3t-value-123"}]))
	count(results) == 1
	some r in results
	r.path == t.path("Deployment", ["containers", 0, "env", 1, "value"])
	r.container == "app"
	contains(r.msg, name)
}

test_not_credential_names[name] if {
	some name in [
		"LOG_LEVEL", "PWD", "OLDPWD", "PASSWORD_FILE", "DB_PASSWORD_PATH", "SECRET_NAME", "TOKEN_URL",
		"TOKEN_TTL", "MAX_TOKENS", "AWS_ACCESS_KEY_ID", "BYPASS_CACHE", "COMPASS_HOST", "PASSWORD_MIN_LENGTH",
		"KEYCLOAK_REALM", "CACHE_KEY",
	]
	count(secret_in_env.deny) == 0 with input as t.pod(with_env([{"name": name, "value": "some-literal-value"}]))
}

test_empty_or_referenced_values_pass if {
	env := [
		{"name": "DB_PASSWORD", "value": ""},
		{"name": "API_TOKEN"},
		{"name": "API_KEY", "value": null},
		{"name": "DB_SECRET", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
	]
	count(secret_in_env.deny) == 0 with input as t.pod(with_env(env))
}

# The value never appears: long values keep their first two characters, short ones nothing.
test_long_value_masked if {
	value := "hunter2-prod-password"
	some r in secret_in_env.deny with input as t.pod(with_env([{"name": "DB_PASSWORD", "value": value}]))
	not contains(r.msg, value)
	not contains(r.msg, "hunter2")
	contains(r.msg, "(hu****)")
}

test_twelve_characters_masked_with_prefix if {
	some r in secret_in_env.deny with input as t.pod(with_env([{"name": "DB_PASSWORD", "value": "Xq7Lm2Pz9Rt4"}]))
	contains(r.msg, "(Xq****)")
	not contains(r.msg, "Xq7Lm2Pz9Rt4")
}

test_short_value_fully_masked if {
	some r in secret_in_env.deny with input as t.pod(with_env([{"name": "DB_PASSWORD", "value": "Zr8vQp2LmX4"}]))
	contains(r.msg, "(****)")
	not contains(r.msg, "Zr")
}

test_non_string_literal if {
	some r in secret_in_env.deny with input as t.pod(with_env([{"name": "PIN_PASSWORD", "value": 12345678}]))
	contains(r.msg, "(****)")
	not contains(r.msg, "12345678")
}

test_every_container_type_and_kind[kind] if {
	some kind in t.kinds
	env := [{"name": "ADMIN_TOKEN", "value": "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"}]
	spec := t.spec({
		"initContainers": [t.container({"name": "init", "env": env})],
		"ephemeralContainers": [t.container({"name": "debug", "env": env})],
	})
	results := secret_in_env.deny with input as t.workload(kind, spec)
	t.containers_of(results) == {"init", "debug"}
	every r in results {
		not contains(r.msg, "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi")
	}
}
