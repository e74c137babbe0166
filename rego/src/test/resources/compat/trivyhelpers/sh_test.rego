package user.sh_helpers

import rego.v1

test_operators_split_commands if {
	sh.parse_commands("make build || exit 1; cat log | grep err & wait") == [
		["make", "build"], ["exit", "1"], ["cat", "log"], ["grep", "err"], ["wait"],
	]
}

test_quotes_are_kept_and_assignments_dropped if {
	sh.parse_commands(`DEBIAN_FRONTEND=noninteractive apt-get install -y "a b" 'c;d'`) == [
		["apt-get", "install", "-y", `"a b"`, `'c;d'`],
	]
}

test_continuation_lines_and_comments if {
	sh.parse_commands("apk add \\\n  curl # fetcher\nrm -rf /var/cache") == [["apk", "add", "curl"], ["rm", "-rf", "/var/cache"]]
}

test_blank_script_has_no_commands if {
	sh.parse_commands("  ") == []
}

test_substituted_commands_follow_their_command if {
	sh.parse_commands("pip install $(grep -v dev reqs.txt) && echo \"at `date`\" 'not $(this)'") == [
		["pip", "install", "$(grep -v dev reqs.txt)"], ["grep", "-v", "dev", "reqs.txt"],
		["echo", "\"at `date`\"", "'not $(this)'"], ["date"],
	]
}

test_redirections_are_not_words if {
	sh.parse_commands("make all >build.log 2>&1 && tar czf out.tgz dist<list &>/dev/null") == [
		["make", "all"], ["tar", "czf", "out.tgz", "dist"],
	]
}

test_here_document_body_is_skipped if {
	sh.parse_commands("cat <<-END >cfg\n\tkey: rm -rf /\n\tEND\nls cfg") == [["cat"], ["ls", "cfg"]]
}

test_process_substitution_is_a_word if {
	sh.parse_commands("comm -12 <(sort a) <(sort b)") == [
		["comm", "-12", "<(sort a)", "<(sort b)"], ["sort", "a"], ["sort", "b"],
	]
}

test_compound_commands_yield_their_simple_commands if {
	sh.parse_commands("if command -v apt-get; then apt-get install -y git; fi; for f in a b; do rm $f; done") == [
		["command", "-v", "apt-get"], ["apt-get", "install", "-y", "git"], ["rm", "$f"],
	]
}
