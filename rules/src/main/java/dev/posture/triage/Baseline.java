package dev.posture.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posture.document.InputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The fingerprints of an earlier JSON report: findings in it are "unchanged", others "new". */
public record Baseline(Set<String> fingerprints) {

    public static Baseline load(Path file) throws InputException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file + ": cannot read baseline report: " + e.getMessage(), e);
        }
        JsonNode findings = root == null ? null : root.get("findings");
        if (findings == null || !findings.isArray()) {
            throw new InputException(file + ": not a posture JSON report (no 'findings' list)");
        }
        Set<String> fps = new HashSet<>();
        for (JsonNode f : findings) {
            JsonNode fp = f.get("fingerprint");
            if (fp != null && fp.isTextual()) {
                fps.add(fp.asText());
            }
        }
        return new Baseline(Set.copyOf(fps));
    }
}
