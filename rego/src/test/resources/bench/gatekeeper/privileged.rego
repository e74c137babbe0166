package bench.gatekeeper.k8spspprivileged

violation[{"msg": msg, "details": {}}] {
  c := input_containers[_]
  not is_exempt(c)
  c.securityContext.privileged
  msg := sprintf("Privileged container is not allowed: %v, securityContext: %v", [c.name, c.securityContext])
}

input_containers[c] {
  c := input.review.object.spec.template.spec.containers[_]
}

input_containers[c] {
  c := input.review.object.spec.template.spec.initContainers[_]
}

is_exempt(c) {
  exempt := object.get(input, ["parameters", "exemptImages"], [])
  img := c.image
  exemption := exempt[_]
  endswith(exemption, "*")
  startswith(img, trim_suffix(exemption, "*"))
}

is_exempt(c) {
  exempt := object.get(input, ["parameters", "exemptImages"], [])
  exempt[_] == c.image
}
