package dev.posture.kubernetes;

import java.util.Set;

/** What posture knows about Kubernetes kinds without a cluster: which are cluster-scoped, which are built in. */
public final class KubernetesKinds {
    private KubernetesKinds() {
    }

    /**
     * Cluster-scoped kinds: their namespace in resource names and {@code data.posture.inventory} is {@code ""} (the
     * policies contract's list, plus the other built-in cluster-scoped kinds).
     */
    public static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "CSIDriver",
            // not in the contract's list, cluster-scoped all the same
            "CSINode", "VolumeAttachment", "CertificateSigningRequest", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
            "FlowSchema", "PriorityLevelConfiguration", "PodSecurityPolicy", "ComponentStatus",
            "ClusterTrustBundle", "DeviceClass", "StorageVersionMigration");

    /**
     * API groups served by Kubernetes itself. Objects of other groups are custom resources (CRDs): inventoried,
     * counted, not judged — a Knative {@code serving.knative.dev} {@code Service} is not a core Service.
     */
    public static final Set<String> BUILTIN_GROUPS = Set.of(
            "", "apps", "batch", "extensions", "policy", "autoscaling", "rbac.authorization.k8s.io",
            "networking.k8s.io", "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io",
            "apiregistration.k8s.io", "scheduling.k8s.io", "node.k8s.io", "coordination.k8s.io",
            "discovery.k8s.io", "events.k8s.io", "certificates.k8s.io", "flowcontrol.apiserver.k8s.io",
            "resource.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "internal.apiserver.k8s.io",
            "storagemigration.k8s.io");

    /** The group of an {@code apiVersion}: {@code "apps"} for {@code apps/v1}, {@code ""} for {@code v1}. */
    public static String group(String apiVersion) {
        int slash = apiVersion.lastIndexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public static boolean builtin(String apiVersion) {
        return BUILTIN_GROUPS.contains(group(apiVersion));
    }

    /**
     * Whether policies judge an object of this kind: objects of Kubernetes' own API groups, except a kubeconfig
     * ({@code apiVersion: v1}, {@code kind: Config}), which is a client's file, not an API object.
     */
    public static boolean judged(String apiVersion, String kind) {
        return builtin(apiVersion) && !("Config".equals(kind) && "v1".equals(apiVersion));
    }

    public static boolean clusterScoped(String apiVersion, String kind) {
        return CLUSTER_SCOPED.contains(kind) && builtin(apiVersion);
    }
}
