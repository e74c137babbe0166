package dev.posture.policy.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.posture.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GatekeeperTest {
    static final ObjectMapper M = new ObjectMapper();

    static JsonNode json(String s) {
        try {
            return M.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Gatekeeper.Constraint constraint(String match) {
        return new Gatekeeper.Constraint("K", "c", "c.yaml:1:1", json(match), json("{'labels': ['owner']}"), "deny");
    }

    static Gatekeeper.Review deployment(String ns, String labels) {
        return new Gatekeeper.Review(json("{'metadata': {'name': 'web', 'labels': " + labels + "}}"), "apps/v1",
                "Deployment", ns, "web", false);
    }

    static final Map<String, JsonNode> NAMESPACES = Map.of("shop", json("{'metadata': {'name': 'shop', 'labels': {'team': 'pay'}}}"));

    static boolean matches(String match, Gatekeeper.Review r) {
        return Gatekeeper.matches(constraint(match), r, NAMESPACES::get);
    }

    @Test
    void reviewIsGatekeepersAdmissionShape() {
        ObjectNode in = Gatekeeper.input(deployment("shop", "{}"), constraint("{}"));
        assertThat(in.at("/review/kind")).isEqualTo(json("{'group': 'apps', 'version': 'v1', 'kind': 'Deployment'}"));
        assertThat(in.at("/review/namespace").asText()).isEqualTo("shop");
        assertThat(in.at("/review/name").asText()).isEqualTo("web");
        assertThat(in.at("/review/operation").asText()).isEqualTo("CREATE");
        assertThat(in.at("/review/object/metadata/name").asText()).isEqualTo("web");
        assertThat(in.at("/parameters/labels/0").asText()).isEqualTo("owner");
        Gatekeeper.Review cm = new Gatekeeper.Review(json("{}"), "v1", "ConfigMap", "default", "x", false);
        assertThat(Gatekeeper.input(cm, constraint("{}")).at("/review/kind/group").asText()).isEmpty();
        Gatekeeper.Review cr = new Gatekeeper.Review(json("{}"), "rbac.authorization.k8s.io/v1", "ClusterRole", "", "x", true);
        assertThat(Gatekeeper.input(cr, constraint("{}")).at("/review/namespace").asText()).isEmpty();
    }

    @Test
    void kinds() {
        Gatekeeper.Review d = deployment("shop", "{}");
        assertThat(matches("{'kinds': [{'apiGroups': ['apps'], 'kinds': ['Deployment']}]}", d)).isTrue();
        assertThat(matches("{'kinds': [{'apiGroups': [''], 'kinds': ['Deployment']}]}", d)).isFalse();
        assertThat(matches("{'kinds': [{'apiGroups': ['*'], 'kinds': ['Pod']}, {'apiGroups': ['*'], 'kinds': ['*']}]}", d)).isTrue();
        assertThat(matches("{'kinds': [{'apiGroups': ['apps'], 'kinds': ['StatefulSet']}]}", d)).isFalse();
    }

    @Test
    void namespacesWithGlobsAndExclusions() {
        Gatekeeper.Review d = deployment("kube-system", "{}");
        assertThat(matches("{'namespaces': ['kube-*']}", d)).isTrue();
        assertThat(matches("{'namespaces': ['*-system']}", d)).isTrue();
        assertThat(matches("{'namespaces': ['shop']}", d)).isFalse();
        assertThat(matches("{'excludedNamespaces': ['kube-*']}", d)).isFalse();
        assertThat(matches("{'excludedNamespaces': ['shop']}", d)).isTrue();
        // cluster-scoped objects pass namespace criteria; a Namespace is matched by its own name
        Gatekeeper.Review cr = new Gatekeeper.Review(json("{}"), "rbac.authorization.k8s.io/v1", "ClusterRole", "", "x", true);
        assertThat(matches("{'namespaces': ['shop']}", cr)).isTrue();
        Gatekeeper.Review ns = new Gatekeeper.Review(json("{'metadata': {'name': 'kube-system'}}"), "v1", "Namespace", "", "kube-system", true);
        assertThat(matches("{'excludedNamespaces': ['kube-system']}", ns)).isFalse();
    }

    @Test
    void labelAndNamespaceSelectors() {
        Gatekeeper.Review d = deployment("shop", "{'app': 'web', 'tier': 'front'}");
        assertThat(matches("{'labelSelector': {'matchLabels': {'app': 'web'}}}", d)).isTrue();
        assertThat(matches("{'labelSelector': {'matchLabels': {'app': 'db'}}}", d)).isFalse();
        assertThat(matches("{'labelSelector': {'matchExpressions': [{'key': 'tier', 'operator': 'In', 'values': ['front', 'x']}]}}", d)).isTrue();
        assertThat(matches("{'labelSelector': {'matchExpressions': [{'key': 'tier', 'operator': 'NotIn', 'values': ['front']}]}}", d)).isFalse();
        assertThat(matches("{'labelSelector': {'matchExpressions': [{'key': 'exempt', 'operator': 'DoesNotExist'}]}}", d)).isTrue();
        assertThat(matches("{'labelSelector': {'matchExpressions': [{'key': 'exempt', 'operator': 'Exists'}]}}", d)).isFalse();
        assertThat(matches("{'namespaceSelector': {'matchLabels': {'team': 'pay'}}}", d)).isTrue();
        assertThat(matches("{'namespaceSelector': {'matchLabels': {'team': 'ops'}}}", d)).isFalse();
        // the namespace is not among the scanned objects: not selected
        assertThat(matches("{'namespaceSelector': {'matchLabels': {'team': 'pay'}}}", deployment("other", "{}"))).isFalse();
    }

    @Test
    void scopeAndName() {
        Gatekeeper.Review d = deployment("shop", "{}");
        assertThat(matches("{'scope': 'Namespaced'}", d)).isTrue();
        assertThat(matches("{'scope': 'Cluster'}", d)).isFalse();
        assertThat(matches("{'name': 'we*'}", d)).isTrue();
        assertThat(matches("{'name': 'api'}", d)).isFalse();
    }

    @Test
    void enforcementActionGivesTheSeverity() {
        assertThat(new Gatekeeper.Constraint("K", "c", "", null, null, "deny").severity()).isEqualTo(Severity.HIGH);
        assertThat(new Gatekeeper.Constraint("K", "c", "", null, null, "warn").severity()).isEqualTo(Severity.LOW);
        assertThat(new Gatekeeper.Constraint("K", "c", "", null, null, "dryrun").severity()).isEqualTo(Severity.INFO);
    }
}
