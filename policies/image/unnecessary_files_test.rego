package posture.image.unnecessary_files_test

import data.posture.lib.image.testing as t
import data.posture.image.unnecessary_files

test_one_per_path if {
	results := unnecessary_files.deny with input as t.with_files({"unnecessary": ["/app/.git", "/app/.idea", "/root/.aws"]})
	t.paths(results) == {"/app/.git", "/app/.idea", "/root/.aws"}
}

test_messages[case] if {
	some case in [
		["/app/.git", "a Git repository"], ["/src/.svn", "a Subversion working copy"], ["/app/.vscode", "IDE settings (VS Code)"],
		["/root/.aws", "AWS CLI configuration"], ["/root/.kube", "kubectl"], ["/root/.config/gcloud", "Google Cloud SDK"],
		["/app/.DS_Store", "a development or tool configuration file"],
	]
	some r in unnecessary_files.deny with input as t.with_files({"unnecessary": [case[0]]})
	r.path == case[0]
	startswith(r.msg, sprintf("%s is %s", [case[0], case[1]]))
	endswith(r.msg, "shipped in the image")
}

test_nothing_unnecessary if {
	count(unnecessary_files.deny) == 0 with input as t.clean_image
	count(unnecessary_files.deny) == 0 with input as t.with_files({"unnecessary": null})
	count(unnecessary_files.deny) == 0 with input as t.with_files({"unnecessary": [null, 3]})
}
