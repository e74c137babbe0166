package dev.posture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.posture.cli.Cli.ROOT;
import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The examples in {@code deploy/}: they parse, they are what docs/scale.md says, and posture finds nothing in them. */
class DeployExamplesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path K8S = DEPLOY.resolve("kubernetes");

    static List<Object> yaml(Path file) throws Exception {
        List<Object> docs = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            docs.add(d);
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, String... keys) {
        Object n = node;
        for (String k : keys) {
            n = n instanceof List<?> l ? l.get(Integer.parseInt(k)) : ((Map<String, Object>) n).get(k);
        }
        return n;
    }

    @Test
    void everyYamlFileParses() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> DEPLOY.relativize(p).toString()).contains("github-actions.yml",
                "gitlab-ci.yml", "kubernetes/scan-job.yaml", "kubernetes/merge-job.yaml");
        for (Path f : files) {
            assertThat(yaml(f)).as(f.toString()).isNotEmpty().doesNotContainNull();
        }
    }

    @Test
    void posturesOwnKubernetesPoliciesFindNothingInTheJobs() throws Exception {
        Cli r = run("scan", "-q", "-j", "2", "--no-ignore-file", "-f", "json", K8S.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.get("findings")).as("findings (suppressed ones included)").isEmpty();
        List<String> names = new ArrayList<>();
        report.get("targets").forEach(t -> {
            assertThat(t.get("type").asText()).isEqualTo("kubernetes");
            assertThat(t.get("status").asText()).as(t.toString()).isEqualTo("scanned");
            names.add(Path.of(t.get("name").asText()).getFileName().toString());
        });
        assertThat(names).contains("scan-job.yaml", "merge-job.yaml", "namespace.yaml", "targets.yaml");
    }

    @Test
    void theCheckIsNotVacuous(@TempDir Path dir) throws Exception {
        for (String f : List.of("namespace.yaml", "targets.yaml", "merge-job.yaml")) {
            Files.copy(K8S.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("scan-job.yaml"), Files.readString(K8S.resolve("scan-job.yaml"))
                .replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")
                .replace("drop: [\"ALL\"]", "drop: [\"NET_RAW\"]"));
        Cli r = run("scan", "-q", "-j", "2", "--no-ignore-file", "-f", "json", dir.toString());
        JsonNode report = JSON.readTree(r.out());
        List<String> rules = new ArrayList<>();
        report.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
        assertThat(rules).contains("k8s-read-only-root-fs", "k8s-capabilities-not-dropped");
    }

    @Test
    void theScanJobIsAnIndexedJobOfShards() throws Exception {
        Map<String, Object> job = map(yaml(K8S.resolve("scan-job.yaml")).get(0));
        assertThat(job.get("kind")).isEqualTo("Job");
        Object spec = job.get("spec");
        assertThat(at(spec, "completionMode")).isEqualTo("Indexed");
        Object container = at(spec, "template", "spec", "containers", "0");
        List<?> env = (List<?>) at(container, "env");
        Object shards = env.stream().filter(e -> "SHARDS".equals(map(e).get("name"))).map(e -> map(e).get("value"))
                .findFirst().orElseThrow();
        assertThat(at(spec, "completions")).isEqualTo(Integer.parseInt(shards.toString()));
        assertThat(at(spec, "parallelism")).isInstanceOf(Integer.class);
        String script = at(container, "args", "0").toString();
        assertThat(script).contains("JOB_COMPLETION_INDEX + 1").contains("--shard \"$k/$SHARDS\"");
        assertThat(at(container, "image").toString()).startsWith("ghcr.io/OWNER/posture:VERSION@sha256:");
        assertThat(at(spec, "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
        assertThat(at(container, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");

        Map<String, Object> merge = map(yaml(K8S.resolve("merge-job.yaml")).get(0));
        String mergeScript = at(merge, "spec", "template", "spec", "containers", "0", "args", "0").toString();
        assertThat(mergeScript).contains("posture report merge shard-*.json").contains("--fail-on high")
                .contains("sarif=");
    }

    /** The scan job's shell script, run with a stand-in 'posture' that records its arguments. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void theShardScriptPassesEveryImageAndItsShard(int exit, @TempDir Path dir) throws Exception {
        Map<String, Object> job = map(yaml(K8S.resolve("scan-job.yaml")).get(0));
        String script = at(job, "spec", "template", "spec", "containers", "0", "args", "0").toString();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("posture");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$RESULTS/args\"\nexit "
                + exit + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path targets = Files.writeString(dir.resolve("images.txt"),
                "# a comment\nregistry.example.com/a:1\n\nregistry.example.com/b@sha256:" + "0".repeat(64)
                        + "\nlast/without-newline:2");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("JOB_COMPLETION_INDEX", "2");
        pb.environment().put("SHARDS", "4");
        pb.environment().put("TARGETS", targets.toString());
        pb.environment().put("RESULTS", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue() == 0).as("exit %d of posture: %s", exit, out).isEqualTo(exit != 2);
        assertThat(Files.readAllLines(dir.resolve("args"))).containsExactly("scan",
                "--image", "registry.example.com/a:1",
                "--image", "registry.example.com/b@sha256:" + "0".repeat(64),
                "--image", "last/without-newline:2",
                "--shard", "3/4", "--no-progress", "-f", "json=" + dir + "/shard-3.json");
    }

    @Test
    void ciExamplesGateOnHighAndPublishSarif() throws Exception {
        Object gh = yaml(DEPLOY.resolve("github-actions.yml")).get(0);
        List<?> steps = (List<?>) at(gh, "jobs", "merge", "steps");
        String runs = steps.toString();
        assertThat(runs).contains("posture report merge").contains("--fail-on high").contains("sarif=posture.sarif");
        assertThat(steps.stream().map(s -> String.valueOf(map(s).get("uses"))))
                .contains("github/codeql-action/upload-sarif@v3");
        assertThat(at(gh, "jobs", "merge", "permissions", "security-events")).isEqualTo("write");
        assertThat(at(gh, "jobs", "scan", "strategy", "matrix", "shard")).isEqualTo(List.of(1, 2, 3, 4));
        assertThat(at(gh, "env", "SHARDS")).isEqualTo(4);
        assertThat(steps.toString()).doesNotContain("--shard");
        assertThat(at(gh, "jobs", "scan", "steps").toString()).contains("--shard \"${{ matrix.shard }}/$SHARDS\"");

        Object gl = yaml(DEPLOY.resolve("gitlab-ci.yml")).get(0);
        assertThat(at(gl, "posture-scan", "parallel")).isEqualTo(4);
        assertThat(at(gl, "posture-scan", "script").toString()).contains("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\"");
        String merge = at(gl, "posture-merge", "script").toString();
        assertThat(merge).contains("posture report merge shard-*.json").contains("--fail-on high")
                .contains("sarif=posture.sarif");
        assertThat(at(gl, "posture-merge", "artifacts", "when")).isEqualTo("always");
        assertThat(at(gl, "posture-merge", "artifacts", "paths").toString()).contains("posture.sarif");
        assertThat(at(gl, "posture-merge", "artifacts", "reports")).isNotNull();
    }
}
