package dev.posture.image;

import dev.posture.image.facts.FileFacts.SecretFile;
import dev.posture.image.facts.ImageFacts;
import dev.posture.image.testing.TestImage;
import dev.posture.image.testing.TestLayers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Credential files of the final view, and those a later layer deleted but the image still carries. */
class SecretFilesTest {
    static final String AWS = "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nZmFrZQ==\n-----END OPENSSH PRIVATE KEY-----\n";

    @Test
    void presentSecretsCarryTheirLayerAndMaskedEvidence() throws Exception {
        ImageFacts f = new TestImage()
                .layer(TestLayers.layer().file("root/.ssh/id_rsa", 0600, KEY))
                .layer(TestLayers.layer().file("app/.env", 0600, "DB_PASSWORD=demo-not-a-real-password-123\n")
                        .file("app/.env.example", 0644, "DB_PASSWORD=changeme\n"))
                .inspect();
        assertThat(f.files().secrets()).extracting(SecretFile::path, SecretFile::kind, SecretFile::layer,
                        SecretFile::deletedIn, SecretFile::evidence)
                .containsExactly(tuple("/root/.ssh/id_rsa", "private-key", 0, null,
                                "-----BEGIN OPENSSH PRIVATE KEY-----"),
                        tuple("/app/.env", "dotenv", 1, null, "DB_PASSWORD=de****"));
        assertThat(f.files().deletedSecrets()).isEmpty();
    }

    @Test
    void aSecretWhitedOutLaterIsADeletedSecret() throws Exception {
        ImageFacts f = new TestImage()
                .layer(TestLayers.layer().dir("etc", 0755))
                .layer(TestLayers.layer().file("root/.aws/credentials", 0600, AWS))
                .layer(TestLayers.layer().dir("root/.aws", 0700).whiteout("root/.aws/credentials"))
                .inspect();
        assertThat(f.files().secrets()).isEmpty();
        assertThat(f.files().deletedSecrets()).containsExactly(new SecretFile("/root/.aws/credentials",
                "aws-credentials", 1, 2, "aws_secret_access_key = wJ****"));
    }

    @Test
    void aSecretReplacedOrHiddenByADirectoryDeletionOrAnOpaqueDirIsDeletedThere() throws Exception {
        ImageFacts f = new TestImage()
                .layer(TestLayers.layer().file("root/.ssh/id_rsa", 0600, KEY).file("app/.env", 0600, "TOKEN=abc123\n")
                        .file("srv/key.pem", 0600, KEY))
                .layer(TestLayers.layer().file("app/.env", 0644, "APP_ENV=production\n")) // overwritten
                .layer(TestLayers.layer().whiteout("root/.ssh")) // its directory deleted
                .layer(TestLayers.layer().dir("srv", 0755).opaque("srv").file("srv/new.txt", 0644, "n"))
                .inspect();
        assertThat(f.files().secrets()).isEmpty();
        assertThat(f.files().deletedSecrets()).extracting(SecretFile::path, SecretFile::layer, SecretFile::deletedIn)
                .containsExactly(tuple("/root/.ssh/id_rsa", 0, 2), tuple("/app/.env", 0, 1), tuple("/srv/key.pem", 0, 3));
    }

    @Test
    void aSecretReplacedByAnotherSecretIsBothPresentAndDeleted() throws Exception {
        ImageFacts f = new TestImage()
                .layer(TestLayers.layer().file("root/.ssh/id_rsa", 0600, KEY))
                .layer(TestLayers.layer().file("root/.ssh/id_rsa", 0400, KEY)) // chmod copies the file up
                .inspect();
        assertThat(f.files().secrets()).extracting(SecretFile::layer).containsExactly(1);
        assertThat(f.files().deletedSecrets()).extracting(SecretFile::layer, SecretFile::deletedIn)
                .containsExactly(tuple(0, 1));
    }

    @Test
    void aDeletedThenReAddedSecretNamesTheFirstDeletion() throws Exception {
        ImageFacts f = new TestImage()
                .layer(TestLayers.layer().file("root/.ssh/id_rsa", 0600, KEY))
                .layer(TestLayers.layer().whiteout("root/.ssh/id_rsa"))
                .layer(TestLayers.layer().file("root/.ssh/id_rsa", 0600, "not a key any more"))
                .inspect();
        assertThat(f.files().secrets()).isEmpty();
        assertThat(f.files().deletedSecrets()).extracting(SecretFile::layer, SecretFile::deletedIn)
                .containsExactly(tuple(0, 1));
    }

    @Test
    void largeCredentialFilesAreJudgedByTheirFirst64KiB() throws Exception {
        String padding = "# padding\n".repeat(7000); // 70,000 bytes
        ImageFacts f = new TestImage()
                .layer(TestLayers.layer().file("root/.aws/credentials", 0600, AWS + padding)
                        .file("app/late.env", 0600, padding + "API_TOKEN=abcdefabcdef\n")
                        .file("usr/lib/big.so", 0644, padding + KEY))
                .inspect();
        assertThat(f.files().secrets()).extracting(SecretFile::path).containsExactly("/root/.aws/credentials");
    }
}
