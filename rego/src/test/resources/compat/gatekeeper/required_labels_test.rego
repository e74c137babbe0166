package k8srequiredlabels
import future.keywords.in

test_missing_label {
  count(violation) == 1 with input as {
    "review": {"object": {"metadata": {"labels": {"app": "x"}}}},
    "parameters": {"labels": [{"key": "owner"}]}
  }
}

test_all_labels_present {
  count(violation) == 0 with input as {
    "review": {"object": {"metadata": {"labels": {"owner": "me"}}}},
    "parameters": {"labels": [{"key": "owner"}]}
  }
}

test_regex_violation {
  v := violation with input as {
    "review": {"object": {"metadata": {"labels": {"owner": "Me!"}}}},
    "parameters": {"labels": [{"key": "owner", "allowedRegex": "^[a-z]+$"}]}
  }
  some x in v
  startswith(x.msg, "Label <owner: Me!>")
}

test_custom_message {
  v := violation with input as {
    "review": {"object": {"metadata": {"labels": {}}}},
    "parameters": {"message": "custom", "labels": [{"key": "owner"}]}
  }
  v[_].msg == "custom"
}
