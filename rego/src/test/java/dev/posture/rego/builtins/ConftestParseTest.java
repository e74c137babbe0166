package dev.posture.rego.builtins;

import dev.posture.rego.testing.TestOptions;
import dev.posture.rego.testing.TestReport;
import dev.posture.rego.testing.TestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** conftest's parse_config builtins, as its policy tests call them: through the test runner, files beside the test. */
class ConftestParseTest {

    @Test
    void policyTestsParseFixturesInEveryFormatWithConftestsShapes(@TempDir Path dir) throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        Path fixtures = Files.createDirectories(policy.resolve("fixtures"));
        Files.writeString(fixtures.resolve("deploy.yaml"), """
                kind: Deployment
                metadata: {name: web}
                ---
                kind: Service
                metadata: {name: web}
                """);
        Files.writeString(fixtures.resolve("single.yaml"), "kind: Pod\nspec: {hostNetwork: true}\n");
        Files.writeString(fixtures.resolve("app.toml"), """
                [server]
                port = 8080
                tls = false
                """);
        Files.writeString(fixtures.resolve("app.ini"), """
                top = ignored
                [db]
                port = 5432
                ratio = 0.5
                ssl = true
                name = "orders"
                """);
        Files.writeString(fixtures.resolve(".env"), """
                # comment
                export DB_HOST=localhost
                API_KEY="abc def"
                PLAIN=value # trailing comment
                """);
        Files.writeString(fixtures.resolve("app.properties"), "a.b = c\nflag=true\n");
        Files.writeString(policy.resolve("parse_test.rego"), """
                package main

                test_yaml_stream_is_an_array if {
                	docs := parse_config_file("fixtures/deploy.yaml")
                	count(docs) == 2
                	docs[1].kind == "Service"
                }

                test_single_yaml_is_its_value if parse_config_file("fixtures/single.yaml").spec.hostNetwork == true

                test_toml if {
                	c := parse_config_file("fixtures/app.toml")
                	c.server.port == 8080
                	c.server.tls == false
                }

                test_ini_types_and_no_default_section if {
                	c := parse_config_file("fixtures/app.ini")
                	c == {"db": {"port": 5432, "ratio": 0.5, "ssl": true, "name": "orders"}}
                }

                test_dotenv if {
                	parse_config_file("fixtures/.env") == {"DB_HOST": "localhost", "API_KEY": "abc def", "PLAIN": "value"}
                }

                test_properties if parse_config_file("fixtures/app.properties") == {"a.b": "c", "flag": "true"}

                test_inline if {
                	parse_config("json", `{"a": [1, 2]}`) == {"a": [1, 2]}
                	parse_config("jsonc", `{"a": 1, // why
                	}`) == {"a": 1}
                	parse_config("yaml", "a: b") == {"a": "b"}
                }

                test_combined if {
                	c := parse_combined_config_files(["fixtures/single.yaml", "fixtures/deploy.yaml"])
                	count(c) == 3
                	kinds := {x.contents.kind | some x in c}
                	kinds == {"Deployment", "Service", "Pod"}
                	endswith(c[0].path, "deploy.yaml")
                }

                test_unknown_parser_is_an_error if {
                	not parse_config("hcl2", "resource {}")
                }

                test_missing_file_is_an_error if {
                	not parse_config_file("nope.yaml")
                }
                """);
        TestReport r = TestRunner.run(List.of(policy.resolve("parse_test.rego")), TestOptions.defaults());
        assertThat(r.results()).allSatisfy(t -> assertThat(t.status())
                .as(t.fullName() + " " + t.error()).isEqualTo(TestReport.Status.PASS));
        assertThat(r.passed()).isEqualTo(10);
    }

    @Test
    void unsupportedParsersAndBadInputNameTheProblem() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConftestParse.parse("hcl2", "x")))
                .hasMessageContaining("parser hcl2 is not supported");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConftestParse.parse("toml", "a = ")))
                .hasMessageStartingWith("unmarshal config:");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConftestParse.ini("[open")))
                .hasMessageContaining("line 1");
        assertThat(ConftestParse.parserFor(Path.of("x/prod.env"))).isEqualTo("dotenv");
        assertThat(ConftestParse.parserFor(Path.of("x/a.YML"))).isEqualTo("yaml");
    }
}
