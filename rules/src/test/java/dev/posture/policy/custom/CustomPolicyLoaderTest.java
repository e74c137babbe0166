package dev.posture.policy.custom;

import dev.posture.model.Theme;
import dev.posture.policy.EmbeddedRegoEngine;
import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomPolicyLoaderTest {
    static final Path FIXTURES = Path.of("..", "fixtures", "policies").normalize();

    private static CustomPolicies load(String... dirs) throws PolicyException {
        return CustomPolicyLoader.load(java.util.Arrays.stream(dirs).map(FIXTURES::resolve).toList(), List.of());
    }

    private static void verify(CustomPolicies c) throws PolicyException {
        CustomPolicyLoader.verify(c, new EmbeddedRegoEngine(), PolicySources.bundled("policies/kubernetes"),
                "posture.kubernetes", "k8s-", Theme.CLUSTER);
        CustomPolicyLoader.verify(c, new EmbeddedRegoEngine(), PolicySources.bundled("policies/image"),
                "posture.image", "img-", Theme.IMAGE);
    }

    @Test
    void everyConventionIsPlacedAndTestsAreLeftOut() throws Exception {
        CustomPolicies c = load("native", "conftest", "gatekeeper", "trivy");
        List<String> names = c.modules().stream().map(PolicyModule::name).toList();
        assertThat(names).noneMatch(n -> n.endsWith("_test.rego"));
        assertThat(names).anyMatch(n -> n.endsWith("native/owner_label.rego"))
                .anyMatch(n -> n.endsWith("conftest/kubernetes.rego")) // a library main imports
                .anyMatch(n -> n.endsWith("trivy/lib_k8s.rego"));
        assertThat(c.templates()).containsOnlyKeys("AcmeRequiredLabels", "AcmeServiceAccountExists");
        assertThat(c.templates().get("AcmeRequiredLabels").pkg()).isEqualTo("acmerequiredlabels");
        assertThat(c.templates().get("AcmeRequiredLabels").title()).isEqualTo("Required labels");
        assertThat(c.constraints()).extracting(Gatekeeper.Constraint::name)
                .containsExactly("deployments-have-owner", "namespaces-have-team", "service-accounts-exist");
        assertThat(c.constraints()).extracting(Gatekeeper.Constraint::action).containsExactly("deny", "warn", "dryrun");
        // the template's Rego and its lib are v0 modules named by the YAML file
        assertThat(c.modules().stream().filter(PolicyModule::v0).map(PolicyModule::name))
                .hasSize(3).allMatch(n -> n.endsWith(".yaml"));
        verify(c);
    }

    @Test
    void templateRegoKeepsTheYamlLineNumbers() throws Exception {
        PolicyModule m = load("gatekeeper").modules().stream()
                .filter(x -> x.name().endsWith("requiredlabels-template.yaml") && x.source().contains("package acmerequiredlabels"))
                .findFirst().orElseThrow();
        List<String> yaml = Files.readAllLines(FIXTURES.resolve("gatekeeper/requiredlabels-template.yaml"));
        String[] rego = m.source().split("\n", -1);
        int line = java.util.stream.IntStream.range(0, rego.length).filter(i -> rego[i].startsWith("package ")).findFirst().orElseThrow();
        assertThat(yaml.get(line).strip()).isEqualTo("package acmerequiredlabels");
    }

    @Test
    void aTemplateThatDoesNotCompileNamesTheYamlLineAndTheCode() throws Exception {
        CustomPolicies c = load("bad-template");
        assertThatThrownBy(() -> verify(c)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("bad-template/template.yaml:17:")
                .hasMessageContaining("rego_parse_error");
    }

    @Test
    void aModuleThatDoesNotParseNamesFileLineColumnAndCode() throws Exception {
        CustomPolicies c = load("bad-compile");
        assertThatThrownBy(() -> verify(c)).hasMessageMatching("(?s).*bad-compile/broken\\.rego:\\d+:\\d+: rego_parse_error: .*");
    }

    @Test
    void aPackageOfNoConventionIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> load("bad-unknown")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("bad-unknown/helpers.rego: package acme.helpers follows none of the conventions");
    }

    @Test
    void aManifestInAPolicyDirectoryIsRefused() {
        assertThatThrownBy(() -> load("bad-yaml")).hasMessageContaining("bad-yaml/example.yaml:1:1: a Pod (v1) is neither");
    }

    @Test
    void aRuleIdOfABuiltInRuleIsRefused() throws Exception {
        CustomPolicies c = load("bad-collision");
        assertThatThrownBy(() -> verify(c)).hasMessageContaining("rule id k8s-privileged")
                .hasMessageContaining("is the id of a built-in rule");
    }

    @Test
    void aBuiltInPackageIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package posture.kubernetes.privileged\n\ndeny contains \"x\" if false\n");
        CustomPolicies c = CustomPolicyLoader.load(List.of(dir), List.of());
        assertThatThrownBy(() -> verify(c)).hasMessageContaining("package posture.kubernetes.privileged is a built-in package");
    }

    @Test
    void aConstraintWithoutItsTemplateIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("c.yaml"), "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sNope\n"
                + "metadata:\n  name: nope\nspec: {}\n");
        assertThatThrownBy(() -> CustomPolicyLoader.load(List.of(dir), List.of()))
                .hasMessageContaining("c.yaml:1:1: constraint K8sNope/nope: no ConstraintTemplate for kind K8sNope");
    }

    @Test
    void dataFilesMergeAtTheRootButNotOverPosturesOwn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("allowed.yaml"), "registries: [registry.example.com]\n");
        CustomPolicies c = CustomPolicyLoader.load(List.of(dir), List.of());
        assertThat(c.data().path("registries").get(0).asText()).isEqualTo("registry.example.com");
        Files.writeString(dir.resolve("bad.json"), "{\"inventory\": {}}");
        assertThatThrownBy(() -> CustomPolicyLoader.load(List.of(dir), List.of()))
                .hasMessageContaining("bad.json:1:1: data file defines data.inventory");
    }

    @Test
    void conftestNamespacesAreChosen(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package team.k8s\n\ndeny contains \"x\" if true\n");
        assertThatThrownBy(() -> CustomPolicyLoader.load(List.of(dir), List.of())).hasMessageContaining("package team.k8s");
        assertThat(CustomPolicyLoader.load(List.of(dir), List.of("team.k8s")).namespaces()).containsExactly("team.k8s");
    }

    @Test
    void aModuleWrittenInV0IsReadAsV0() throws Exception {
        CustomPolicies c = load("conftest-v0", "conftest");
        assertThat(c.modules()).filteredOn(m -> m.name().endsWith("legacy.rego")).singleElement()
                .extracting(PolicyModule::v0).isEqualTo(true);
        assertThat(c.modules()).filteredOn(m -> m.name().endsWith("conftest/deployment.rego")).singleElement()
                .extracting(PolicyModule::v0).isEqualTo(false);
    }

    @Test
    void templatesForPolicyTest() throws Exception {
        CustomPolicyLoader.Templates t = CustomPolicyLoader.templates(List.of(FIXTURES.resolve("gatekeeper"),
                FIXTURES.resolve("conftest")));
        assertThat(t.modules()).hasSize(3);
        assertThat(t.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("constraints.yaml", "requiredlabels-template.yaml", "serviceaccount-template.yaml");
    }
}
