package dev.posture.serverless.load;

import dev.posture.document.ParsedDocument;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.source.InputKind;
import java.util.List;

public final class TerraformPlanLoader extends DocumentLoader {
    @Override public InputKind kind() { return InputKind.SERVERLESS_FRAMEWORK; }
    @Override public boolean recognises(ParsedDocument doc) { return false; }
    @Override public ServerlessApp load(ParsedDocument doc) { return new ServerlessApp(List.of(), List.of(), List.of(), List.of()); }
}
