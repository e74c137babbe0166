package dev.posture.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.image.source.ImageSources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides what an input is from its content: archive magic numbers (and OCI layout directories) for
 * images, document shape for everything else (asked of the analyzers' recognisers, see
 * {@code Analyzer#recognise}). The file name only breaks ties when a broken file has to be attributed.
 */
public final class ContentSniffer {

    private ContentSniffer() {
    }

    /** A recogniser: the kind of one parsed document, if it knows it. */
    public interface Recogniser extends Function<ParsedDocument, Optional<InputKind>> {
    }

    /**
     * Reads and recognises one source: archives by their magic number; text by a streaming look at
     * its top level ({@link Prelook}), and only candidates are parsed whole and handed to the
     * recognisers. A file that is no candidate comes back as {@link InputKind#UNKNOWN} with the
     * reason ({@link Input#unrecognisedReason()}): never a failure.
     *
     * @throws CandidateException when a candidate cannot be parsed (the message names file and line)
     * @throws InputException     when the file cannot be read at all, or is over the size limit
     */
    public static Input sniff(SourceFile src, InputStream stdin, Recogniser recogniser) throws InputException {
        byte[] all;
        if (src.path() != null && ImageSources.isOciLayout(src.path())) {
            return new Input(src.name(), src.path(), InputKind.IMAGE_ARCHIVE, List.of()); // an OCI image layout
        }
        if (src.path() != null) {
            try {
                long size = Files.size(src.path());
                if (size == 0) {
                    return Input.unrecognised(src.name(), src.path(), "empty file");
                }
                byte[] head = new byte[512];
                try (InputStream in = Files.newInputStream(src.path())) {
                    int headLen = in.readNBytes(head, 0, head.length);
                    if (isArchive(head, headLen)) {
                        // archives are never read whole here (a compression bomb stays on disk)
                        if (isGzip(head, headLen) && !gzipHoldsTar(src.path())) {
                            return Input.unrecognised(src.name(), src.path(),
                                    "gzip-compressed, but not a tar archive (an image archive is a tar)");
                        }
                        if (ImageArchives.look(src.path(), isGzip(head, headLen))
                                == ImageArchives.Verdict.NOT_AN_IMAGE) {
                            return Input.unrecognised(src.name(), src.path(), "a tar archive, but not a container"
                                    + " image (no manifest.json, index.json or oci-layout at its root)");
                        }
                        return new Input(src.name(), src.path(), InputKind.IMAGE_ARCHIVE, List.of());
                    }
                    if (size > DocumentParser.MAX_FILE_BYTES) {
                        throw new InputException(src.name() + ": file is " + size + " bytes, over the "
                                + DocumentParser.MAX_FILE_BYTES + "-byte limit for documents");
                    }
                    // bounded even when the size lied (a file growing while read)
                    byte[] rest = in.readNBytes((int) DocumentParser.MAX_FILE_BYTES + 1 - headLen);
                    all = new byte[headLen + rest.length];
                    System.arraycopy(head, 0, all, 0, headLen);
                    System.arraycopy(rest, 0, all, headLen, rest.length);
                }
                if (all.length > DocumentParser.MAX_FILE_BYTES) {
                    throw new InputException(src.name() + ": file is over the " + DocumentParser.MAX_FILE_BYTES
                            + "-byte limit for documents");
                }
            } catch (IOException e) {
                throw new InputException(src.name() + ": cannot read: " + e.getMessage(), e);
            }
        } else {
            try {
                all = stdin.readNBytes((int) DocumentParser.MAX_FILE_BYTES + 1);
            } catch (IOException e) {
                throw new InputException("stdin: cannot read: " + e.getMessage(), e);
            }
            if (all.length > DocumentParser.MAX_FILE_BYTES) {
                throw new InputException("stdin: over the " + DocumentParser.MAX_FILE_BYTES + "-byte limit");
            }
            if (isArchive(all, Math.min(all.length, 512))) {
                throw new InputException("stdin: image archives cannot be read from stdin; pass the file path");
            }
        }
        String name = src.path() != null ? src.name() : "stdin";
        String text;
        try {
            text = DocumentParser.decode(name, all);
        } catch (InputException e) {
            // binary or not UTF-8: no format we read, whatever its name says
            String m = e.getMessage();
            return Input.unrecognised(src.name(), src.path(), m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m);
        }
        Prelook.Verdict v = Prelook.look(src.name(), text);
        if (!v.candidate()) {
            return Input.unrecognised(src.name(), src.path(), v.reason());
        }
        List<ParsedDocument> docs;
        List<String> documentErrors = List.of();
        if (v.kind().get() == InputKind.KUBERNETES) {
            // manifests: typed as kubectl reads them, document by document (a broken one does not hide the rest)
            DocumentParser.Parsed p = DocumentParser.parseDocuments(name, text, DocumentParser.YamlSchema.KUBERNETES);
            if (p.documents().isEmpty() && !p.errors().isEmpty()) {
                throw new CandidateException(p.errors().get(0).getMessage(), InputKind.KUBERNETES);
            }
            docs = p.documents();
            documentErrors = p.errors().stream().map(Throwable::getMessage).toList();
            Input k = recognise(src, docs, recogniser);
            if (k.kind() == InputKind.KUBERNETES) {
                return new Input(k.name(), k.path(), k.kind(), k.documents(), null, documentErrors);
            }
            if (k.kind() == InputKind.UNKNOWN && !documentErrors.isEmpty()) {
                throw new CandidateException(documentErrors.get(0), InputKind.KUBERNETES);
            }
            // something else after all (a template with an apiVersion key first): read it as everything else is read
        }
        try {
            docs = DocumentParser.parse(name, text);
        } catch (InputException e) {
            throw new CandidateException(e.getMessage(), v.kind().get());
        }
        Input in = recognise(src, docs, recogniser);
        if (in.kind() == InputKind.UNKNOWN) {
            String why = v.kind().get() == InputKind.SERVERLESS_FRAMEWORK
                    ? "a Serverless Framework file for another provider than aws"
                    : "looks like " + describe(v.kind().get()) + " at first sight, but is not one";
            return Input.unrecognised(src.name(), src.path(), why);
        }
        return in;
    }

    /** A candidate input that could not be parsed: a failed target of the kind it most likely is. */
    public static final class CandidateException extends InputException {
        private final InputKind kind;

        CandidateException(String message, InputKind kind) {
            super(message);
            this.kind = kind;
        }

        public InputKind kind() {
            return kind;
        }
    }

    static String describe(InputKind k) {
        return switch (k) {
            case CLOUDFORMATION -> "a CloudFormation/SAM template";
            case SERVERLESS_FRAMEWORK -> "a serverless.yml";
            case TERRAFORM_PLAN -> "a Terraform plan";
            case IAM_POLICY -> "an IAM policy";
            case IAM_AUTHORIZATION_DETAILS -> "IAM authorization details";
            case KUBERNETES -> "a Kubernetes manifest";
            default -> k.name().toLowerCase(Locale.ROOT);
        };
    }

    private static boolean isGzip(byte[] head, int len) {
        return len >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Inflates the first tar header only (512 bytes, whatever the bomb behind it) and checks its magic. */
    static boolean gzipHoldsTar(java.nio.file.Path file) {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            byte[] h = in.readNBytes(512);
            return isArchive(h, h.length) && !isGzip(h, h.length);
        } catch (IOException | RuntimeException e) {
            return true; // a corrupt archive is still an archive: the image analyzer says what is wrong
        }
    }

    static boolean isArchive(byte[] head, int len) {
        if (len >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true; // gzip
        }
        return len >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
                && head[261] == 'r';
    }

    static Input recognise(SourceFile src, List<ParsedDocument> docs, Recogniser recogniser) {
        for (ParsedDocument d : docs) {
            Optional<InputKind> k = recogniser.apply(d);
            if (k.isEmpty() && isKubernetes(d.root())) {
                k = Optional.of(InputKind.KUBERNETES);
            }
            if (k.isPresent()) {
                return new Input(src.name(), src.path(), k.get(), docs);
            }
        }
        return new Input(src.name(), src.path(), InputKind.UNKNOWN, docs);
    }

    /**
     * Kubernetes objects ({@code apiVersion} + {@code kind}), also when no analyzer of the scan recognises them
     * (the Kubernetes analyzer does), so such inputs are reported as skipped rather than unknown.
     */
    static boolean isKubernetes(JsonNode root) {
        return root != null && root.isObject() && root.has("apiVersion") && root.has("kind");
    }

    /**
     * For an input that could not be parsed: the kind it most likely was, from its name and raw
     * text, so its failed target can be attributed to the right surface.
     */
    public static InputKind guessFromText(String name, String text) {
        String n = name.toLowerCase(Locale.ROOT);
        String t = text == null ? "" : text;
        if (n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return InputKind.IMAGE_ARCHIVE;
        }
        if (n.endsWith("serverless.yml") || n.endsWith("serverless.yaml")) {
            return InputKind.SERVERLESS_FRAMEWORK;
        }
        if (t.contains("AWSTemplateFormatVersion") || t.contains("AWS::")) {
            return InputKind.CLOUDFORMATION;
        }
        if (t.contains("\"format_version\"")) {
            return InputKind.TERRAFORM_PLAN;
        }
        if (t.contains("Statement")) {
            return InputKind.IAM_POLICY;
        }
        if (t.contains("apiVersion") || t.contains("kind:")) {
            return InputKind.KUBERNETES;
        }
        return n.endsWith(".json") ? InputKind.IAM_POLICY : InputKind.KUBERNETES;
    }
}
