package dev.posture.document;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A key written twice in one mapping. The document keeps the last value, as CloudFormation and
 * most YAML/JSON readers do; readers that must not guess (IAM policies) look at {@link #earlier()}.
 *
 * @param mappingNode the {@link SourceMap} node of the mapping holding the key
 * @param key         the key
 * @param firstLine   where the key was first written (0 when unknown)
 * @param line        where it was written again
 * @param earlier     the value the later one replaced
 */
public record DuplicateKey(SourceMap map, int mappingNode, String key, int firstLine, int line, JsonNode earlier) {

    /** The JSON pointer of the mapping holding the key. */
    public String mapping() {
        return map.pointerOf(mappingNode);
    }

    /** "lines 3 and 7", or "line 3 (twice)" for a one-line document, for messages. */
    public String lines() {
        return firstLine == line ? "line " + line + " (twice)" : "lines " + firstLine + " and " + line;
    }

    /** "key 'Name' is written twice in one mapping (lines 10 and 11)", the key abbreviated, for warnings. */
    public String describe() {
        String k = key.length() <= 80 ? key : key.substring(0, 77) + "...";
        return "key '" + k + "' is written twice in one mapping (" + lines() + ")";
    }

    /** The JSON pointer of the key's (last) value. */
    public String pointer() {
        return SourceMap.child(mapping(), key);
    }
}
