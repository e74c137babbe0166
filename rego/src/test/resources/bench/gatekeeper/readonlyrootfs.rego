package bench.gatekeeper.k8spspreadonlyrootfilesystem

violation[{"msg": msg, "details": {}}] {
  c := input_containers[_]
  input_read_only_root_fs(c)
  msg := sprintf("only read-only root filesystem container is allowed: %v", [c.name])
}

input_read_only_root_fs(c) {
  not has_field(c, "securityContext")
}

input_read_only_root_fs(c) {
  not c.securityContext.readOnlyRootFilesystem == true
}

input_containers[c] {
  c := input.review.object.spec.template.spec.containers[_]
}

input_containers[c] {
  c := input.review.object.spec.template.spec.initContainers[_]
}

has_field(object, field) = true {
  object[field]
}
