package dev.posture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;

/** Shared Jackson plumbing: one mapper, a byte-stable pretty printer (2 spaces, LF, {@code "k": v}). */
final class ReportJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    static {
        MAPPER.getFactory().setCharacterEscapes(new ControlEscapes());
    }

    private ReportJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Puts {@code value}, or an explicit JSON null. */
    static void putNullable(ObjectNode node, String key, String value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /** Puts {@code value} only when it is non-null. */
    static void putIfPresent(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    static void write(JsonNode root, OutputStream out) throws IOException {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        MAPPER.writer(printer).writeValue(out, root);
        out.write('\n');
        out.flush();
    }

    /**
     * JSON already escapes C0 controls; this also escapes DEL, the C1 controls (U+009B is a
     * one-character CSI on some terminals) and U+2028/U+2029, so a report printed to a terminal
     * cannot drive it (see {@link TerminalText}). Other characters are written as they are.
     */
    private static final class ControlEscapes extends CharacterEscapes {
        private final int[] ascii;

        ControlEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch <= 0xffff && TerminalText.isControl((char) ch)
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
