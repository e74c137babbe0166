#!/usr/bin/env python3
"""Generates N Kubernetes objects (deterministic, seeded) in several multi-document YAML files, for the
Kubernetes benchmark.

Mix per 20 objects: 10 workloads of every kind (Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob, Pod; 1-3 containers, some init containers, some privileged,
hostPath, hostNetwork, literal secrets, latest tags, limits or not), 4 Services (ClusterIP, NodePort,
LoadBalancer), 2 NetworkPolicies, 3 RBAC objects (ServiceAccount, Role/ClusterRole, RoleBinding/
ClusterRoleBinding, some to cluster-admin or with wildcards) and 1 ConfigMap, over 40 namespaces;
one object in 50 is a kind: List of 3 and one in 100 a custom resource.
Usage: gen-k8s-manifests.py OUT_DIR N [OBJECTS_PER_FILE]   (default 500 per file)
"""
import os
import random
import sys

WORKLOADS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod"]
IMAGES = ["nginx:latest", "registry.example.com/shop/web:1.4.2", "redis:7",
          "ghcr.io/acme/api@sha256:" + "ab" * 32, "busybox", "postgres:16.2"]


def indent(text, n):
    pad = " " * n
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def container(r, name):
    lines = [f"- name: {name}", f"  image: {r.choice(IMAGES)}"]
    if r.random() < 0.5:
        lines += ["  ports:", f"    - containerPort: {r.choice([80, 8080, 9090])}"]
        if r.random() < 0.1:
            lines.append("      hostPort: 8080")
    sc = []
    if r.random() < 0.1:
        sc.append("privileged: true")
    if r.random() < 0.5:
        sc += ["runAsNonRoot: true", "allowPrivilegeEscalation: false", "readOnlyRootFilesystem: true",
               "capabilities:", "  drop: [ALL]", "seccompProfile:", "  type: RuntimeDefault"]
    elif r.random() < 0.3:
        sc += ["capabilities:", "  add: [NET_ADMIN, SYS_TIME]"]
    if sc:
        lines.append("  securityContext:")
        lines += ["    " + s for s in sc]
    if r.random() < 0.6:
        lines += ["  resources:", "    limits: {cpu: 500m, memory: 256Mi}", "    requests: {cpu: 100m, memory: 128Mi}"]
    env = []
    if r.random() < 0.1:
        env.append("- {name: DB_PASSWORD, value: hunter2-%06d}" % r.randint(0, 999999))
    if r.random() < 0.3:
        env.append("- {name: DB_PASSWORD_REF, valueFrom: {secretKeyRef: {name: db, key: password}}}")
    if r.random() < 0.5:
        env.append("- {name: LOG_LEVEL, value: info}")
    if env:
        lines.append("  env:")
        lines += ["    " + e for e in env]
    if r.random() < 0.4:
        lines += ["  livenessProbe:", "    httpGet: {path: /healthz, port: 8080}"]
    return "\n".join(lines)


def pod_spec(r, app):
    lines = []
    if r.random() < 0.05:
        lines.append("hostNetwork: true")
    if r.random() < 0.03:
        lines.append("hostPID: true")
    if r.random() < 0.3:
        lines.append("serviceAccountName: " + app)
    if r.random() < 0.2:
        lines.append("automountServiceAccountToken: false")
    if r.random() < 0.2:
        lines += ["initContainers:", indent(container(r, "init"), 2)]
    lines.append("containers:")
    for i in range(r.randint(1, 3)):
        lines.append(indent(container(r, "c%d" % i if i else app), 2))
    vols = []
    if r.random() < 0.08:
        vols.append("- {name: host, hostPath: {path: /var/log}}")
    if r.random() < 0.3:
        vols.append("- {name: cfg, configMap: {name: %s}}" % app)
    if vols:
        lines.append("volumes:")
        lines += ["  " + v for v in vols]
    return "\n".join(lines)


def meta(name, ns, labels=None, ann=None):
    lines = ["metadata:", f"  name: {name}"]
    if ns is not None:
        lines.append(f"  namespace: {ns}")
    if labels:
        lines.append("  labels: {" + ", ".join(f"{k}: {v}" for k, v in labels.items()) + "}")
    if ann:
        lines.append("  annotations:")
        lines += [f"    {k}: \"{v}\"" for k, v in ann.items()]
    return "\n".join(lines)


def workload(r, i, ns):
    kind = WORKLOADS[i % len(WORKLOADS)]
    app = f"app{i}"
    labels = {"app": app, "tier": r.choice(["web", "api", "worker"])}
    api = {"Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1",
           "ReplicationController": "v1", "Job": "batch/v1", "CronJob": "batch/v1", "Pod": "v1"}[kind]
    ann = None
    if r.random() < 0.02:
        ann = {"posture.dev/ignore": "k8s-privileged,k8s-host-path", "posture.dev/ignore-reason": "benchmark"}
    head = f"apiVersion: {api}\nkind: {kind}\n" + meta(app, ns if r.random() < 0.9 else None, labels, ann) + "\n"
    spec = pod_spec(r, app)
    if kind == "Pod":
        return head + "spec:\n" + indent(spec, 2)
    template = "template:\n  metadata:\n    labels: {app: %s, tier: %s}\n  spec:\n%s" % (
        app, labels["tier"], indent(spec, 4))
    if kind == "CronJob":
        return head + "spec:\n  schedule: \"0 * * * *\"\n  jobTemplate:\n    spec:\n" + indent(template, 6)
    sel = "" if kind in ("Job",) else "selector:\n  matchLabels: {app: %s}\n" % app
    replicas = "" if kind in ("DaemonSet", "Job") else "replicas: %d\n" % r.randint(1, 5)
    return head + "spec:\n" + indent(replicas + sel + template, 2)


def service(r, i, ns):
    t = r.choice(["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"])
    return ("apiVersion: v1\nkind: Service\n" + meta(f"svc{i}", ns) +
            f"\nspec:\n  type: {t}\n  selector: {{app: app{i - i % 20}}}\n  ports:\n    - port: 80\n      targetPort: 8080")


def netpol(r, i, ns):
    sel = "{}" if r.random() < 0.3 else "{matchLabels: {tier: %s}}" % r.choice(["web", "api"])
    return ("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n" + meta(f"np{i}", ns) +
            f"\nspec:\n  podSelector: {sel}\n  policyTypes: [Ingress]")


def rbac(r, i, ns):
    k = i % 3
    if k == 0:
        return "apiVersion: v1\nkind: ServiceAccount\n" + meta(f"app{i - i % 20}", ns)
    cluster = r.random() < 0.2
    if k == 1:
        kind = "ClusterRole" if cluster else "Role"
        verbs = "[\"*\"]" if r.random() < 0.1 else "[get, list, watch]"
        res = "[secrets]" if r.random() < 0.2 else "[pods, configmaps]"
        return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\n" + meta(f"role{i}", None if cluster else ns) +
                f"\nrules:\n  - apiGroups: [\"\"]\n    resources: {res}\n    verbs: {verbs}")
    kind = "ClusterRoleBinding" if cluster else "RoleBinding"
    role = "cluster-admin" if r.random() < 0.05 else f"role{i - 1}"
    return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\n" + meta(f"bind{i}", None if cluster else ns) +
            f"\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {'ClusterRole' if cluster else 'Role'}, name: {role}}}"
            f"\nsubjects:\n  - {{kind: ServiceAccount, name: app{i - i % 20}, namespace: {ns}}}")


def configmap(r, i, ns):
    return "apiVersion: v1\nkind: ConfigMap\n" + meta(f"app{i - i % 20}", ns) + "\ndata:\n  LOG_LEVEL: info\n  FEATURE: \"on\""


def custom(r, i, ns):
    return ("apiVersion: cert-manager.io/v1\nkind: Certificate\n" + meta(f"cert{i}", ns) +
            f"\nspec:\n  secretName: tls{i}\n  dnsNames: [app{i}.example.com]")


def obj(r, i):
    ns = "ns%d" % (i // 20 % 40)
    slot = i % 20
    if i % 100 == 99:
        return custom(r, i, ns)
    if slot < 10:
        return workload(r, i, ns)
    if slot < 14:
        return service(r, i, ns)
    if slot < 16:
        return netpol(r, i, ns)
    if slot < 19:
        return rbac(r, i, ns)
    return configmap(r, i, ns)


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    per_file = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    os.makedirs(out, exist_ok=True)
    r = random.Random(42)
    i = 0
    f = 0
    while i < n:
        docs = []
        while i < n and len(docs) < per_file:
            if i % 50 == 49 and i + 3 <= n:
                items = [obj(r, i + k) for k in range(3)]
                docs.append("apiVersion: v1\nkind: List\nitems:\n" + "\n".join(
                    "  - " + indent(x, 4).lstrip() for x in items))
                i += 3
            else:
                docs.append(obj(r, i))
                i += 1
        with open(os.path.join(out, "manifests-%04d.yaml" % f), "w") as fh:
            fh.write("---\n".join(d + "\n" for d in docs))
        f += 1


if __name__ == "__main__":
    main()
