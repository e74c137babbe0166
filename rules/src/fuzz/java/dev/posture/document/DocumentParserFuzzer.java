package dev.posture.document;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target of {@link DocumentParser}: any bytes, read as JSON, YAML and an unknown name. The only exception it
 * may throw is {@link InputException}; anything else, or a hang, is a finding.
 */
public final class DocumentParserFuzzer {

    public static void fuzzerTestOneInput(byte[] data) {
        for (String name : new String[] {"fuzz.json", "fuzz.yaml", "fuzz"}) {
            try {
                DocumentParser.parse(name, data);
            } catch (InputException expected) {
                // the documented failure
            }
        }
    }

    @FuzzTest
    void regression(byte[] data) {
        fuzzerTestOneInput(data);
    }
}
