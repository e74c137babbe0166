package dev.posture.iam.catalog;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ServiceReferenceImporter#importFrom} did.
 *
 * @param importedServices service prefixes read from the service reference input
 * @param importedActions  actions read from the input
 * @param totalServices    service prefixes in the written catalog (imported plus kept bundled ones)
 * @param totalActions     actions in the written catalog
 * @param output           the catalog file written
 * @param skipped          inputs that were not service reference files, and why
 */
public record ImportSummary(int importedServices, int importedActions, int totalServices, int totalActions,
                            Path output, List<String> skipped) {
    public ImportSummary {
        skipped = List.copyOf(skipped);
    }

    /** One line for the CLI. */
    public String describe() {
        return "imported " + importedServices + " services (" + importedActions + " actions); wrote "
                + totalServices + " services, " + totalActions + " actions to " + output
                + (skipped.isEmpty() ? "" : "; skipped " + skipped.size() + " file(s)/entries");
    }
}
