package dev.posture.serverless.load;

import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.Input;
import dev.posture.source.InputKind;

/** Loads one serverless/IAM input format into the normalised {@link ServerlessApp} model. */
public interface ServerlessLoader {

    /** The input kind this loader handles. */
    InputKind kind();

    /** True when the document's content is in this loader's format (decided by content, not file name). */
    boolean recognises(ParsedDocument doc);

    /**
     * Loads every document of the input. Problems in parts of the input become
     * {@link ServerlessApp#warnings()}; only input that cannot be read at all throws.
     *
     * @throws InputException when the file cannot be read or parsed (message names file and line)
     */
    ServerlessApp load(Input input) throws InputException;
}
