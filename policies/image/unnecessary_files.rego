# METADATA
# scope: package
# title: VCS, IDE or cloud-config files shipped in the image
# description: >-
#   A version-control directory (.git, .svn, .hg, .bzr, CVS), IDE settings (.idea, .vscode, .vs) or
#   a tool's configuration directory (.aws, .kube, .docker, .azure, gcloud, .terraform) was copied
#   into the image (files.unnecessary), usually by a COPY . without a .dockerignore. A .git holds the
#   whole history, secrets removed from the code included; configuration directories point at
#   accounts and may hold tokens (those are also secret-file findings). One finding per path.
# related_resources:
#   - ref: https://docs.docker.com/build/concepts/context/#dockerignore-files
#   - ref: https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0005
# custom:
#   id: img-unnecessary-files
#   control: unnecessary-files
#   severity: low
#   theme: image
#   remediation: Add the paths to .dockerignore (.git, .idea, .vscode, .aws, ...) or copy only what the application needs (COPY src/ /app/src/), and rebuild.
package posture.image.unnecessary_files

import data.posture.lib.image as img

deny contains {"msg": sprintf("%s is %s shipped in the image", [path, what(path)]), "path": path} if {
	some path in img.files_list("unnecessary")
	is_string(path)
}

kinds := {
	".git": "a Git repository (its history may hold removed code and secrets)",
	".svn": "a Subversion working copy",
	".hg": "a Mercurial repository",
	".bzr": "a Bazaar repository",
	"CVS": "a CVS directory",
	".idea": "IDE settings (JetBrains)",
	".vscode": "IDE settings (VS Code)",
	".vs": "IDE settings (Visual Studio)",
	".aws": "AWS CLI configuration",
	".kube": "kubectl configuration",
	".docker": "Docker client configuration",
	".azure": "Azure CLI configuration",
	"gcloud": "Google Cloud SDK configuration",
	".gcloud": "Google Cloud SDK configuration",
	".terraform": "a Terraform working directory",
}

what(path) := kinds[img.basename(path)] if {
	kinds[img.basename(path)]
} else := "a development or tool configuration file"
