package bench.gatekeeper.k8scontainerlimits

missing(obj, field) = true {
  not obj[field]
}

missing(obj, field) = true {
  obj[field] == ""
}

canonify_cpu(orig) = new {
  is_number(orig)
  new := orig * 1000
}

canonify_cpu(orig) = new {
  not is_number(orig)
  endswith(orig, "m")
  new := to_number(replace(orig, "m", ""))
}

canonify_cpu(orig) = new {
  not is_number(orig)
  not endswith(orig, "m")
  regex.match("^[0-9]+(\\.[0-9]+)?$", orig)
  new := to_number(orig) * 1000
}

canonify_mem(orig) = new {
  is_number(orig)
  new := orig
}

canonify_mem(orig) = new {
  not is_number(orig)
  new := units.parse_bytes(orig)
}

violation[{"msg": msg}] {
  container := input.review.object.spec.template.spec.containers[_]
  not container.resources.limits
  msg := sprintf("container <%v> has no resource limits", [container.name])
}

violation[{"msg": msg}] {
  container := input.review.object.spec.template.spec.containers[_]
  missing(container.resources.limits, "cpu")
  msg := sprintf("container <%v> has no cpu limit", [container.name])
}

violation[{"msg": msg}] {
  container := input.review.object.spec.template.spec.containers[_]
  cpu_orig := container.resources.limits.cpu
  cpu := canonify_cpu(cpu_orig)
  max_cpu := canonify_cpu(input.parameters.cpu)
  cpu > max_cpu
  msg := sprintf("container <%v> cpu limit <%v> is higher than the maximum allowed of <%v>", [container.name, cpu_orig, input.parameters.cpu])
}

violation[{"msg": msg}] {
  container := input.review.object.spec.template.spec.containers[_]
  mem_orig := container.resources.limits.memory
  mem := canonify_mem(mem_orig)
  max_mem := canonify_mem(input.parameters.memory)
  mem > max_mem
  msg := sprintf("container <%v> memory limit <%v> is higher than the maximum allowed of <%v>", [container.name, mem_orig, input.parameters.memory])
}
