package cases

import rego.v1

# One test, one case per key; the case "odd" fails after its key was bound.
test_even[name] if {
	some name, n in {"zero": 0, "two": 2, "odd": 3}
	n % 2 == 0
}

# Two-level keys: group, then case.
test_upper[group][word] if {
	some group, words in {"short": ["ab"], "long": ["abcdef"]}
	some word in words
	upper(word) == concat("", [upper(substring(word, 0, 1)), upper(substring(word, 1, -1))])
}

# A case whose value is not true fails.
test_values[k] := v if {
	some k, v in {"yes": true, "no": "true"}
}

# No case at all: passes, as an empty object of cases.
test_none[k] if {
	some k in []
}
