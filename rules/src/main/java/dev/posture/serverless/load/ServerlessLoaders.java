package dev.posture.serverless.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posture.document.DocumentParser;
import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.InputWarning;
import dev.posture.iam.model.Origin;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.model.Location;
import dev.posture.source.Input;
import dev.posture.source.InputKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entry points: content-based detection of serverless/IAM inputs and dispatch to the loader of
 * each format.
 */
public final class ServerlessLoaders {
    private static final List<ServerlessLoader> LOADERS = List.of(
            new TerraformPlanLoader(), new AuthorizationDetailsLoader(), new ServerlessFrameworkLoader(),
            new CloudFormationLoader(), new IamPolicyLoader());

    private ServerlessLoaders() {
    }

    /** All loaders, in detection order. */
    public static List<ServerlessLoader> all() {
        return LOADERS;
    }

    public static Optional<ServerlessLoader> forKind(InputKind kind) {
        return LOADERS.stream().filter(l -> l.kind() == kind).findFirst();
    }

    /**
     * What serverless/IAM format a document is, decided by its content: a Terraform plan
     * ({@code format_version} + {@code planned_values}/{@code configuration}/{@code resource_changes}),
     * authorization details ({@code RoleDetailList}/{@code UserDetailList}/{@code Policies}),
     * a Serverless Framework file ({@code service} + {@code provider}), a CloudFormation/SAM template
     * ({@code Resources} with {@code AWS::} types, {@code AWSTemplateFormatVersion} or the SAM
     * {@code Transform}) or an IAM policy ({@code Statement}, a Lambda GetPolicy response, a single
     * statement). Empty when it is none of these.
     */
    public static Optional<InputKind> detect(ParsedDocument doc) {
        if (doc == null) {
            return Optional.empty();
        }
        for (ServerlessLoader l : LOADERS) {
            if (l.recognises(doc)) {
                return Optional.of(l.kind());
            }
        }
        return Optional.empty();
    }

    /** Detects over all documents of a stream: the first recognised one decides. */
    public static Optional<InputKind> detect(List<ParsedDocument> docs) {
        for (ParsedDocument d : docs) {
            Optional<InputKind> k = detect(d);
            if (k.isPresent()) {
                return k;
            }
        }
        return Optional.empty();
    }

    /** Reads and parses a file and detects its kind ({@link InputKind#UNKNOWN} when not recognised). */
    public static Input read(Path file) throws InputException {
        String name = file.toString();
        List<ParsedDocument> docs = parse(name, file);
        return new Input(name, file, detect(docs).orElse(InputKind.UNKNOWN), docs);
    }

    /** Parses text (stdin, tests) and detects its kind. */
    public static Input read(String name, String text) throws InputException {
        List<ParsedDocument> docs = DocumentParser.parse(name, text);
        return new Input(name, null, detect(docs).orElse(InputKind.UNKNOWN), docs);
    }

    public static ServerlessApp load(Path file) throws InputException {
        return load(read(file));
    }

    /**
     * Loads an input with the loader of its kind; when the kind is not a serverless/IAM kind, the
     * content decides. Unrecognised content yields an empty app with a warning.
     */
    public static ServerlessApp load(Input input) throws InputException {
        Optional<ServerlessLoader> loader = forKind(input.kind());
        if (loader.isEmpty()) {
            List<ParsedDocument> docs = documents(input);
            loader = detect(docs).flatMap(ServerlessLoaders::forKind);
            if (loader.isEmpty()) {
                return new ServerlessApp(List.of(), List.of(), List.of(), List.of(new InputWarning(
                        input.name() + ": not an IAM policy, authorization details, CloudFormation/SAM template, "
                                + "serverless.yml or Terraform plan", Origin.file(Location.ofFile(input.name()), ""))));
            }
            input = new Input(input.name(), input.path(), loader.get().kind(), docs);
        }
        ServerlessApp app = loader.get().load(input);
        List<InputWarning> dups = duplicateWarnings(input);
        if (dups.isEmpty()) {
            return app;
        }
        List<InputWarning> all = new ArrayList<>(app.warnings());
        all.addAll(dups);
        return new ServerlessApp(app.functions(), app.roles(), app.policies(), all);
    }

    /**
     * One warning per key written twice that no policy reader already explained: the document was
     * read with the last value, as CloudFormation reads templates; a reviewer should know.
     */
    static List<InputWarning> duplicateWarnings(Input input) {
        List<InputWarning> out = new ArrayList<>();
        String as = input.kind() == InputKind.CLOUDFORMATION ? ", as CloudFormation does" : "";
        for (ParsedDocument d : input.documents()) {
            for (dev.posture.document.DuplicateKey k : d.sourceMap().unclaimed()) {
                out.add(new InputWarning(k.describe() + "; the last value is used" + as,
                        Origin.file(d.sourceMap().at(k.pointer()), k.pointer())));
            }
        }
        return out;
    }

    /** The parsed documents of an input, reading the file when the input carries none. */
    static List<ParsedDocument> documents(Input input) throws InputException {
        if (!input.documents().isEmpty() || input.path() == null) {
            return input.documents();
        }
        return parse(input.name(), input.path());
    }

    private static List<ParsedDocument> parse(String name, Path file) throws InputException {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InputException(name + ": not a regular file");
            }
            if (Files.size(file) > DocumentParser.MAX_FILE_BYTES) {
                throw new InputException(name + ": file is " + Files.size(file) + " bytes, over the "
                        + DocumentParser.MAX_FILE_BYTES + "-byte limit for documents");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read: " + e.getMessage(), e);
        }
        return DocumentParser.parse(name, bytes);
    }

    /** Merges the apps of several documents of one input. */
    static ServerlessApp merge(List<ServerlessApp> apps) {
        if (apps.size() == 1) {
            return apps.get(0);
        }
        List<dev.posture.iam.model.LambdaFunction> f = new ArrayList<>();
        List<dev.posture.iam.model.Role> r = new ArrayList<>();
        List<dev.posture.iam.model.Policy> p = new ArrayList<>();
        List<InputWarning> w = new ArrayList<>();
        for (ServerlessApp a : apps) {
            f.addAll(a.functions());
            r.addAll(a.roles());
            p.addAll(a.policies());
            w.addAll(a.warnings());
        }
        return new ServerlessApp(f, r, p, w);
    }

    // ------------------------------------------------------------ small JSON helpers shared by loaders

    static boolean hasAnyField(JsonNode n, String... names) {
        if (n == null || !n.isObject()) {
            return false;
        }
        for (String name : names) {
            if (n.has(name)) {
                return true;
            }
        }
        return false;
    }
}
