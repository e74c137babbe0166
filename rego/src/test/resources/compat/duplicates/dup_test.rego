package dup

# Three definitions of one test name: opa test runs and reports each body on its own.
test_sum if 1 + 1 == 2

test_sum if 2 + 2 == 5

test_sum if 3 + 3 == 6

test_single if true
