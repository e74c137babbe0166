package bench.scale

import rego.v1

# Plain comprehensions over the whole input.
images := {c.image | some c in input.items}

privileged := [c.name | some c in input.items; c.privileged]

# A comprehension that refers to a variable bound outside it (`team`, bound by the object comprehension).
# OPA indexes it: evaluated once, grouped by y.team, then looked up per team, so this stays linear.
by_team := {team: members |
	some x in input.items
	team := x.team
	members := [y.name | some y in input.items; y.team == team]
}

# The same pattern in a rule body, with many distinct outer values (N/4 images): without the index this
# would be quadratic (N/4 comprehension evaluations of N items each).
shared_image contains c.name if {
	some c in input.items
	img := c.image
	users := [y.name | some y in input.items; y.image == img]
	count(users) > 3
}

large_teams contains team if {
	some team, members in by_team
	count(members) > 100
}

deny contains msg if {
	some c in input.items
	c.privileged
	endswith(c.image, ":latest")
	msg := sprintf("%s is privileged and uses :latest", [c.name])
}

summary := {
	"items": count(input.items),
	"images": count(images),
	"privileged": count(privileged),
	"teams": count(by_team),
	"large_teams": count(large_teams),
	"shared_image": count(shared_image),
	"deny": count(deny),
}
