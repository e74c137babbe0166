# METADATA
# scope: package
# title: Credential file in the image
# description: >-
#   A file of the image's final filesystem holds a credential: a private key, cloud credentials
#   (AWS, Google Cloud service-account key, Azure), a .env file, an .npmrc or .pypirc token, a
#   kubeconfig with a token, .git-credentials, .netrc, Docker registry auth, htpasswd hashes. The
#   analyzer decides it by name and a bounded look at the content (files.secrets); anyone who can
#   pull the image can read the file. One finding per file, at its path; the content is never shown.
# related_resources:
#   - ref: https://docs.docker.com/build/building/secrets/
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0010
# custom:
#   id: img-secret-file
#   control: secret-file
#   severity: critical
#   theme: secrets
#   remediation: Keep credential files out of the build context (.dockerignore), mount them at run time (a secret volume, /run/secrets) or use build secrets (RUN --mount=type=secret), rebuild, and rotate the credential.
package posture.image.secret_file

import data.posture.lib.image as img

deny contains {"msg": msg, "path": f.path} if {
	some f in img.files_list("secrets")
	is_object(f)
	is_string(f.path)
	msg := sprintf("%s holds %s%s", [f.path, img.secret_kind(f.kind), layer_text(f)])
}

layer_text(f) := sprintf(" (added in layer %v)", [f.layer]) if is_number(f.layer) else := ""
