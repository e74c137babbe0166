# METADATA
# scope: package
# title: Deleted credential file still in a lower layer
# description: >-
#   A credential file (private key, cloud credentials, token, ...) was added by one layer and
#   deleted or replaced by a later one (files.deleted_secrets). Deleting a file only hides it in the
#   final view: the lower layer's blob still holds it, and anyone who pulls the image can extract it
#   (docker save, any registry client). One finding per file, at its path, naming the layer that
#   holds it and the layer that deleted it.
# related_resources:
#   - ref: https://docs.docker.com/build/building/secrets/
#   - ref: https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers
# custom:
#   id: img-deleted-secret-in-layer
#   control: deleted-secret-in-layer
#   severity: critical
#   theme: secrets
#   remediation: Never copy credentials into an image, even temporarily; use build secrets (RUN --mount=type=secret) or a multi-stage build whose final stage never saw the file, rebuild, delete the published image, and rotate the credential.
package posture.image.deleted_secret_in_layer

import data.posture.lib.image as img

deny contains {"msg": msg, "path": f.path} if {
	some f in img.files_list("deleted_secrets")
	is_object(f)
	is_string(f.path)
	msg := sprintf("%s (%s) was deleted%s but is still in the blob of layer %s: anyone who pulls the image can extract it", [
		f.path, kind_text(f.kind), deleted_text(f.deleted_in), layer_text(f.layer),
	])
}

kind_text(kind) := trim_prefix(trim_prefix(img.secret_kind(kind), "a "), "an ")

deleted_text(n) := sprintf(" in layer %v", [n]) if is_number(n) else := ""

layer_text(n) := sprintf("%v", [n]) if is_number(n) else := "below"
