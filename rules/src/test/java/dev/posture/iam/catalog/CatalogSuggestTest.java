package dev.posture.iam.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogSuggestTest {

    private final ActionCatalog catalog = Catalogs.bundled();

    @Test
    void nearMissInTheSameService() {
        assertThat(catalog.suggest("s3:GetObjekt")).contains("s3:GetObject");
        assertThat(catalog.suggest("dynamodb:GetItems")).contains("dynamodb:GetItem");
        assertThat(catalog.suggest("iam:PassRoles")).contains("iam:PassRole");
        assertThat(catalog.suggest("s3:GetObejct")).contains("s3:GetObject");   // transposition
        assertThat(catalog.suggest("sqs:SendMesage")).contains("sqs:SendMessage");
        assertThat(catalog.suggest("secretsmanager:GetSecretValues")).contains("secretsmanager:GetSecretValue");
    }

    @Test
    void misspeltServicePrefix() {
        assertThat(catalog.suggest("lamda:InvokeFunction")).contains("lambda:InvokeFunction");
        assertThat(catalog.suggest("dynamdb:GetItem")).contains("dynamodb:GetItem");
        assertThat(catalog.suggest("secretmanager:GetSecretValue")).contains("secretsmanager:GetSecretValue");
        assertThat(catalog.suggest("lamda:InvokeFunctoin")).contains("lambda:InvokeFunction");
        assertThat(catalog.suggest("lamda:Invoke*")).contains("lambda:Invoke*");
    }

    @Test
    void nothingClose() {
        assertThat(catalog.suggest("s3:TotallyMadeUpOperation")).isEmpty();
        assertThat(catalog.suggest("dynamodb:Frobnicate")).isEmpty();
        assertThat(catalog.suggest("zzzzzzzzzz:GetObject")).isEmpty();
        assertThat(catalog.suggest("GetObject")).isEmpty();
        assertThat(catalog.suggest("s3:")).isEmpty();
        assertThat(catalog.suggest("")).isEmpty();
        assertThat(catalog.suggest(null)).isEmpty();
        assertThat(catalog.suggest("s3:Nothing*")).isEmpty();
    }

    @Test
    void existingActionSuggestsItsCanonicalSpelling() {
        assertThat(catalog.suggest("s3:getobject")).contains("s3:GetObject");
    }

    @Test
    void editDistance() {
        assertThat(EditDistance.distance("getobjekt", "getobject", 2)).isEqualTo(1);
        assertThat(EditDistance.distance("getobejct", "getobject", 2)).isEqualTo(1);
        assertThat(EditDistance.distance("abc", "abc", 0)).isZero();
        assertThat(EditDistance.distance("abcdef", "uvwxyz", 2)).isEqualTo(3);
        assertThat(EditDistance.distance("a", "abcdef", 2)).isEqualTo(3);
    }

    @Test
    void globMatcher() {
        assertThat(Wildcard.compile("get*").matches("getobject")).isTrue();
        assertThat(Wildcard.compile("*object*").matches("getobjectacl")).isTrue();
        assertThat(Wildcard.compile("*object").matches("getobjectacl")).isFalse();
        assertThat(Wildcard.compile("?ass*").matches("passrole")).isTrue();
        assertThat(Wildcard.compile("?ass*").matches("ass")).isFalse();
        assertThat(Wildcard.compile("a*b*c").matches("axxbyybzzc")).isTrue();
        assertThat(Wildcard.compile("a*b*c").matches("axxbyybzz")).isFalse();
        assertThat(Wildcard.compile("**").matches("")).isTrue();
        assertThat(Wildcard.compile("a**b").matches("ab")).isTrue();
        assertThat(Wildcard.compile("a?c").matches("abc")).isTrue();
        assertThat(Wildcard.compile("a?c").matches("ac")).isFalse();
    }
}
