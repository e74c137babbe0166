package k8spspprivileged

pod(containers) = {"review": {"operation": "CREATE", "object": {"spec": {"containers": containers}}}}

test_privileged_denied {
  count(violation) == 1 with input as pod([{"name": "a", "image": "nginx", "securityContext": {"privileged": true}}])
}

test_unprivileged_ok {
  count(violation) == 0 with input as pod([{"name": "a", "image": "nginx", "securityContext": {"privileged": false}}])
}

test_exempt_image {
  inp := object.union(pod([{"name": "a", "image": "gcr.io/safe/x", "securityContext": {"privileged": true}}]),
    {"parameters": {"exemptImages": ["gcr.io/safe/*"]}})
  count(violation) == 0 with input as inp
}

test_update_ignored {
  inp := {"review": {"operation": "UPDATE", "object": {"spec": {"containers": [{"name": "a", "securityContext": {"privileged": true}}]}}}}
  count(violation) == 0 with input as inp
}
