package k8suniqueingresshost

ingress(ns, name, host) = {"metadata": {"namespace": ns, "name": name}, "spec": {"rules": [{"host": host}]}}

review(obj) = {"review": {"kind": {"kind": "Ingress", "group": "networking.k8s.io"}, "object": obj}}

inventory = {"namespace": {
  "a": {"networking.k8s.io/v1": {"Ingress": {"one": ingress("a", "one", "x.example.com")}}},
  "b": {"v1": {"Service": {"svc": {"metadata": {"name": "svc"}}}}}
}}

test_conflict {
  count(violation) == 1 with input as review(ingress("c", "two", "x.example.com")) with data.inventory as inventory
}

test_same_object_ok {
  count(violation) == 0 with input as review(ingress("a", "one", "x.example.com")) with data.inventory as inventory
}

test_other_host_ok {
  count(violation) == 0 with input as review(ingress("c", "two", "y.example.com")) with data.inventory as inventory
}
