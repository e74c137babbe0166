package bench.gatekeeper.k8spspseccomp

violation[{"msg": msg}] {
  c := input_containers[_]
  profile := get_profile(c)
  not allowed_profile(profile)
  msg := sprintf("Seccomp profile '%v' is not allowed for container '%v'. Allowed profiles: %v", [profile, c.name, input.parameters.allowedProfiles])
}

get_profile(c) = profile {
  profile := c.securityContext.seccompProfile.type
}

get_profile(c) = profile {
  not c.securityContext.seccompProfile
  profile := object.get(input.review.object.spec.template.spec, ["securityContext", "seccompProfile", "type"], "not configured")
}

allowed_profile(profile) {
  input.parameters.allowedProfiles[_] == profile
}

allowed_profile(_) {
  input.parameters.allowedProfiles[_] == "*"
}

input_containers[c] {
  c := input.review.object.spec.template.spec.containers[_]
}

input_containers[c] {
  c := input.review.object.spec.template.spec.initContainers[_]
}
