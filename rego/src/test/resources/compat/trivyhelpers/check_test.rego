package user.docker.no_root

import rego.v1

stages := {"Stages": [{"Commands": [
	{"Cmd": "from", "Value": ["alpine"], "StartLine": 1, "EndLine": 1},
	{"Cmd": "user", "Value": ["root"], "StartLine": 4, "EndLine": 5},
]}]}

test_root_user_is_reported_with_its_lines if {
	r := deny with input as stages
	count(r) == 1
	some res in r
	res.msg == "do not run as root"
	res.startline == 4
	res.endline == 5
	res.managed == true
	res.parent == null
}

test_metadata_wrapper_and_parent if {
	res := result.new("m", {"__defsec_metadata": {"filepath": "main.tf", "startline": 2, "parent": {"resource": "r"}}})
	res.filepath == "main.tf"
	res.startline == 2
	res.parent.resource == "r"
	not res.parent.msg
}
