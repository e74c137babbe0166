package dev.posture.cli;

import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import dev.posture.policy.opa.OpaBundle;
import dev.posture.report.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code posture policy bundle}: posture's policies (and your own) as an OPA bundle. */
@Command(name = "bundle", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Write the built-in policies (and those of --policy directories) as an OPA bundle (.tar.gz) for",
                "OPA's bundle service or 'opa run --server --bundle'; then scan with --opa-url URL --opa-no-push."},
        footer = {"", "Examples:",
                "  posture policy bundle -o posture-bundle.tar.gz",
                "  posture policy bundle --policy my-policies/ -o bundle.tar.gz",
                "", "Exit codes: 0 written, 2 usage error or a policy that cannot be read, 3 the file cannot be written."})
final class PolicyBundleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", paramLabel = "DIR", description = "Also bundle the *.rego below DIR (not *_test.rego). Repeatable.")
    List<Path> policies = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The bundle to write (.tar.gz).")
    Path output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<PolicyModule> modules = new ArrayList<>();
        try {
            modules.addAll(PolicySources.bundled("policies/kubernetes"));
            modules.addAll(PolicySources.bundled("policies/image"));
            for (Path dir : policies) {
                if (!Files.isDirectory(dir)) {
                    err.println("posture policy bundle: --policy " + TerminalText.escape(dir.toString()) + ": not a directory");
                    return ExitCodes.USAGE;
                }
                Path name = dir.toAbsolutePath().normalize().getFileName();
                modules.addAll(PolicySources.directory(dir, "custom/" + (name == null ? "root" : name) + "/"));
            }
        } catch (PolicyException e) {
            err.println("posture policy bundle: " + TerminalText.escape(e.getMessage()));
            return ExitCodes.USAGE;
        }
        Path abs = output.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            OpaBundle.Manifest m;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                m = OpaBundle.write(modules, null, Version.get(), out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            err.println("posture policy bundle: " + m.files().size() + " module(s), roots " + m.roots() + ", revision "
                    + m.revision() + " → " + TerminalText.escape(output.toString()));
            return ExitCodes.OK;
        } catch (PolicyException e) {
            err.println("posture policy bundle: " + TerminalText.escape(e.getMessage()));
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("posture policy bundle: cannot write " + TerminalText.escape(output.toString()) + ": " + e.getMessage());
            return ExitCodes.INCOMPLETE;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort
                }
            }
        }
    }
}
