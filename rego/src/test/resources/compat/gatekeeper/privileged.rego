package k8spspprivileged

import future.keywords.in

violation[{"msg": msg, "details": {}}] {
  not is_update(input.review)
  c := input_containers[_]
  c.securityContext.privileged
  not is_exempt(c)
  msg := sprintf("Privileged container is not allowed: %v, securityContext: %v", [c.name, c.securityContext])
}

is_update(review) {
  review.operation == "UPDATE"
}

is_exempt(container) {
  exempt_images := object.get(object.get(input, "parameters", {}), "exemptImages", [])
  img := container.image
  exemption := exempt_images[_]
  _matches_exemption(img, exemption)
}

_matches_exemption(img, exemption) {
  not endswith(exemption, "*")
  exemption == img
}

_matches_exemption(img, exemption) {
  endswith(exemption, "*")
  prefix := trim_suffix(exemption, "*")
  startswith(img, prefix)
}

input_containers[c] {
  c := input.review.object.spec.containers[_]
}

input_containers[c] {
  c := input.review.object.spec.initContainers[_]
}
