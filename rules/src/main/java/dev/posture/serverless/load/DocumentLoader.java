package dev.posture.serverless.load;

import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.Input;

import java.util.ArrayList;
import java.util.List;

/** A loader that handles each document of an input on its own. */
abstract class DocumentLoader implements ServerlessLoader {

    @Override
    public ServerlessApp load(Input input) throws InputException {
        List<ServerlessApp> apps = new ArrayList<>();
        for (ParsedDocument doc : ServerlessLoaders.documents(input)) {
            apps.add(load(doc));
        }
        if (apps.isEmpty()) {
            return new ServerlessApp(List.of(), List.of(), List.of(), List.of());
        }
        return ServerlessLoaders.merge(apps);
    }

    /** Loads one parsed document. Never throws for content problems: they become warnings. */
    public abstract ServerlessApp load(ParsedDocument doc);
}
