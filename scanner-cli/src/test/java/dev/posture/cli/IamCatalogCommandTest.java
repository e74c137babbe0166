package dev.posture.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.posture.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** posture iam catalog import through the real entry point. */
class IamCatalogCommandTest {

    @Test
    void importsAServiceReferenceFileAndReportsCounts(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("demo.json"), """
                {"Name": "demoservice", "Actions": [
                  {"Name": "GetWidget", "Annotations": {"Properties": {"IsList": false, "IsPermissionManagement": false,
                   "IsTaggingOnly": false, "IsWrite": false}}},
                  {"Name": "PutWidgetPolicy", "Annotations": {"Properties": {"IsList": false, "IsPermissionManagement": true,
                   "IsTaggingOnly": false, "IsWrite": true}}}]}
                """);
        Path out = dir.resolve("catalog.tsv.gz");
        Cli r = run("iam", "catalog", "import", in.toString(), "--output", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out).exists();
        assertThat(r.out()).contains("1").containsIgnoringCase("action");
    }

    @Test
    void missingOrBrokenInputIsAUsageError(@TempDir Path dir) throws Exception {
        assertThat(run("iam", "catalog", "import", dir.resolve("nope.json").toString()).exit())
                .isEqualTo(ExitCodes.USAGE);
        Path broken = Files.writeString(dir.resolve("broken.json"), "{not json");
        Cli r = run("iam", "catalog", "import", broken.toString(), "--output", dir.resolve("o.gz").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("broken.json");
    }
}
