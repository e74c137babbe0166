package dev.posture.policy.custom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.posture.policy.custom.GatekeeperTest.json;
import static org.assertj.core.api.Assertions.assertThat;

class TrivyDockerfileTest {

    static JsonNode step(int i, String instruction, String command, boolean empty) {
        return json("{'index': " + i + ", 'instruction': '" + instruction + "', 'command': '" + command.replace("\"", "\\\"")
                + "', 'empty_layer': " + empty + ", 'created_by': ''}");
    }

    @Test
    void historyAfterTheBaseImageThenTheConfigsUser() {
        var image = (com.fasterxml.jackson.databind.node.ObjectNode) json("{'config': {'user': 'app', 'healthcheck': ['CMD-SHELL', 'curl -f http://localhost/'],"
                + " 'healthcheck_disabled': false}, 'history': []}");
        var h = image.withArray("history");
        h.add(step(0, "ADD", "file:5d6 in /", false));
        h.add(step(1, "CMD", "[\"/bin/sh\"]", true));        // the base image ends here
        h.add(step(2, "RUN", "apt-get update && apt-get install -y curl", false));
        h.add(step(3, "ENV", "APP_HOME=/srv/app", true));
        h.add(step(4, "COPY", "--chown=app file:abc in /srv/app", false));
        h.add(step(5, "HEALTHCHECK", "&{[\"CMD-SHELL\" \"curl\"]}", true));
        h.add(step(6, "ENTRYPOINT", "[\"/srv/app/run\"]", true));
        h.add(step(7, "CMD", "[\"serve\"]", true));
        TrivyDockerfile df = TrivyDockerfile.of(image);
        JsonNode cmds = df.input().at("/Stages/0/Commands");
        assertThat(df.input().at("/Stages/0/Name").asText()).isEmpty();
        assertThat(cmds).hasSize(7);
        assertThat(cmds.get(0).get("Cmd").asText()).isEqualTo("run");
        assertThat(cmds.get(0).get("Value")).isEqualTo(json("['apt-get update && apt-get install -y curl']"));
        assertThat(cmds.get(0).get("Original").asText()).isEqualTo("RUN apt-get update && apt-get install -y curl");
        assertThat(cmds.get(0).get("StartLine").asInt()).isEqualTo(1);
        assertThat(cmds.get(0).get("Path").asText()).isEqualTo("Dockerfile");
        assertThat(cmds.get(1).get("Value")).isEqualTo(json("['APP_HOME', '/srv/app', '=']"));
        assertThat(cmds.get(2).get("Flags")).isEqualTo(json("['--chown=app']"));
        assertThat(cmds.get(2).get("Value")).isEqualTo(json("['file:abc', '/srv/app']"));
        assertThat(cmds.get(3).get("Value")).isEqualTo(json("['CMD', 'curl -f http://localhost/']"));
        assertThat(cmds.get(4).get("JSON").asBoolean()).isTrue();
        assertThat(cmds.get(4).get("Value")).isEqualTo(json("['/srv/app/run']"));
        assertThat(cmds.get(6).get("Cmd").asText()).isEqualTo("user");
        assertThat(cmds.get(6).get("Value")).isEqualTo(json("['app']"));
        assertThat(cmds.get(6).get("EndLine").asInt()).isEqualTo(7);
        assertThat(df.keys()).containsExactly("history[2]", "history[3]", "history[4]", "history[5]", "history[6]",
                "history[7]", "config.User");
    }

    @Test
    void withoutHistoryTheConfigGivesTheLines() {
        JsonNode image = json("{'config': {'user': '', 'env': [{'name': 'PATH', 'value': '/bin'}],"
                + " 'exposed_ports': [{'spec': '22/tcp'}], 'working_dir': '/app', 'healthcheck': null,"
                + " 'healthcheck_disabled': false, 'entrypoint': ['/app/run'], 'cmd': []}, 'history': []}");
        TrivyDockerfile df = TrivyDockerfile.of(image);
        assertThat(df.input().at("/Stages/0/Commands")).extracting(c -> c.get("Original").asText())
                .containsExactly("ENV PATH=/bin", "EXPOSE 22/tcp", "WORKDIR /app", "ENTRYPOINT [\"/app/run\"]");
        assertThat(df.keys()).containsExactly("config.Env.PATH", "config.ExposedPorts.22/tcp", "config.WorkingDir",
                "config.Entrypoint");
    }

    @Test
    void baseImageGuess() {
        var h = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        h.add(step(0, "RUN", "x", false));
        h.add(step(1, "CMD", "y", true));
        assertThat(TrivyDockerfile.baseIndex(h)).isEqualTo(-1); // only trailing empty steps: no base found
        h.add(step(2, "RUN", "z", false));
        assertThat(TrivyDockerfile.baseIndex(h)).isEqualTo(1);
    }
}
