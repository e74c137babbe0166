package posture.image.secret_file_test

import data.posture.lib.image.testing as t
import data.posture.image.secret_file

secret(path, kind) := {"path": path, "kind": kind, "layer": 1, "evidence": "-----BEGIN OPENSSH PRIVATE KEY-----"}

test_one_finding_per_file if {
	results := secret_file.deny with input as t.with_files({"secrets": [
		secret("/root/.ssh/id_rsa", "private-key"),
		secret("/app/.env", "dotenv"),
		secret("/root/.aws/credentials", "aws-credentials"),
	]})
	t.paths(results) == {"/root/.ssh/id_rsa", "/app/.env", "/root/.aws/credentials"}
	count(results) == 3
}

test_message_names_kind_and_layer if {
	some r in secret_file.deny with input as t.with_files({"secrets": [secret("/root/.ssh/id_rsa", "private-key")]})
	r.msg == "/root/.ssh/id_rsa holds a private key (added in layer 1)"
	r.path == "/root/.ssh/id_rsa"
}

test_evidence_never_quoted if {
	some r in secret_file.deny with input as t.with_files({"secrets": [secret("/root/.ssh/id_rsa", "private-key")]})
	not contains(r.msg, "BEGIN")
}

test_unknown_kind_named if {
	some r in secret_file.deny with input as t.with_files({"secrets": [object.union(secret("/etc/age.key", "age-key"), {"layer": null})]})
	r.msg == "/etc/age.key holds a credential (age-key)"
}

test_no_secrets_no_finding if {
	count(secret_file.deny) == 0 with input as t.clean_image
	count(secret_file.deny) == 0 with input as t.with_files({"secrets": null})
	count(secret_file.deny) == 0 with input as t.image({"files": null})
}

# Deleted secrets are another control.
test_deleted_secrets_not_reported_here if {
	doc := t.with_files({"deleted_secrets": [object.union(secret("/root/.aws/credentials", "aws-credentials"), {"deleted_in": 2})]})
	count(secret_file.deny) == 0 with input as doc
}
