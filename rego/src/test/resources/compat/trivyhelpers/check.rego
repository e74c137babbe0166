package user.docker.no_root

import rego.v1

# result.new is not imported: the host provides it, as Trivy does.
deny contains res if {
	some instr in input.Stages[_].Commands
	instr.Cmd == "user"
	instr.Value[0] == "root"
	res := result.new("do not run as root", instr)
}
