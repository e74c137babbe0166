package posture.image.deleted_secret_in_layer_test

import data.posture.lib.image.testing as t
import data.posture.image.deleted_secret_in_layer

deleted(path, kind, layer, deleted_in) := {"path": path, "kind": kind, "layer": layer, "deleted_in": deleted_in, "evidence": "aws_secret_access_key = wJ****"}

test_one_finding_per_file if {
	results := deleted_secret_in_layer.deny with input as t.with_files({"deleted_secrets": [
		deleted("/root/.aws/credentials", "aws-credentials", 1, 2),
		deleted("/root/.ssh/id_ed25519", "private-key", 1, 3),
	]})
	t.paths(results) == {"/root/.aws/credentials", "/root/.ssh/id_ed25519"}
}

test_message_names_kind_and_layers if {
	some r in deleted_secret_in_layer.deny with input as t.with_files({"deleted_secrets": [deleted("/root/.aws/credentials", "aws-credentials", 1, 2)]})
	r.path == "/root/.aws/credentials"
	r.msg == "/root/.aws/credentials (AWS credentials) was deleted in layer 2 but is still in the blob of layer 1: anyone who pulls the image can extract it"
}

test_article_dropped_from_kind if {
	some r in deleted_secret_in_layer.deny with input as t.with_files({"deleted_secrets": [deleted("/k", "private-key", 0, 4)]})
	startswith(r.msg, "/k (private key) was deleted in layer 4 but is still in the blob of layer 0")
}

test_unknown_layers if {
	some r in deleted_secret_in_layer.deny with input as t.with_files({"deleted_secrets": [deleted("/k", "netrc", null, null)]})
	startswith(r.msg, "/k (netrc login credentials) was deleted but is still in the blob of layer below")
}

test_evidence_never_quoted if {
	some r in deleted_secret_in_layer.deny with input as t.with_files({"deleted_secrets": [deleted("/root/.aws/credentials", "aws-credentials", 1, 2)]})
	not contains(r.msg, "wJ")
}

# Secrets still present are another control.
test_present_secrets_not_reported_here if {
	count(deleted_secret_in_layer.deny) == 0 with input as t.with_files({"secrets": [{"path": "/root/.ssh/id_rsa", "kind": "private-key", "layer": 1, "evidence": "x"}]})
	count(deleted_secret_in_layer.deny) == 0 with input as t.clean_image
}
