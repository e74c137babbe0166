package dev.posture.document;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One YAML document (or a whole JSON file) as a Jackson tree, with where each value came from.
 *
 * @param index 0-based position of the document in a multi-document YAML stream
 */
public record ParsedDocument(String file, int index, JsonNode root, SourceMap sourceMap) {
}
