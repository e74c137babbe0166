package report

import rego.v1

test_prints if {
	print("seen", 2)
}

level := "low" if true

level := "high" if true

test_conflicting_rule_is_an_error if level == "low"
