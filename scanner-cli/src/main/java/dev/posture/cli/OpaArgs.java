package dev.posture.cli;

import dev.posture.policy.PolicyException;
import dev.posture.policy.PolicyModule;
import dev.posture.policy.PolicySources;
import dev.posture.policy.opa.OpaOptions;
import dev.posture.policy.opa.OpaPolicyEngine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** Evaluating the policies on an OPA server instead of the embedded engine: a picocli mixin of {@code scan}. */
final class OpaArgs {
    private static final Logger LOG = Logger.getLogger(OpaArgs.class.getName());

    @Option(names = "--opa-url", paramLabel = "URL",
            description = "Evaluate the Rego policies on this OPA server (opa run --server) through its REST API"
                    + " instead of the embedded engine; the findings are the same. See docs/opa.md.")
    String url;

    @Option(names = "--opa-token", paramLabel = "TOKEN",
            description = "Bearer token for an OPA started with --authentication=token (prefer --opa-token-file).")
    String token;

    @Option(names = "--opa-token-file", paramLabel = "FILE", description = "Read the OPA bearer token from FILE.")
    Path tokenFile;

    @Option(names = "--opa-ca-cert", paramLabel = "PEM", description = "Trust the certificate(s) in PEM for an https OPA.")
    Path caCert;

    @Option(names = "--opa-timeout", paramLabel = "SECONDS", description = "Timeout of each request to OPA (default: 10).")
    String timeout;

    @Option(names = "--opa-concurrency", paramLabel = "N", description = "Requests to OPA in flight at most (default: 4).")
    Integer concurrency;

    @Option(names = "--opa-no-push",
            description = "Do not upload posture's policies: the server has them already (a bundle from 'posture policy"
                    + " bundle'). The scan's data (data.inventory) is still written.")
    boolean noPush;

    boolean enabled() {
        return url != null;
    }

    /** The options, checked; a usage error names the flag. */
    OpaOptions options() throws ImageArgs.UsageException {
        if (url == null) {
            if (token != null || tokenFile != null || caCert != null || timeout != null || concurrency != null || noPush) {
                throw new ImageArgs.UsageException("the --opa-* options need --opa-url");
            }
            return null;
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new ImageArgs.UsageException("--opa-url: not a URL: " + e.getMessage());
        }
        if (token != null && tokenFile != null) {
            throw new ImageArgs.UsageException("--opa-token and --opa-token-file exclude each other");
        }
        String t = token;
        if (tokenFile != null) {
            try {
                t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ImageArgs.UsageException("--opa-token-file: cannot read " + tokenFile + ": " + e.getMessage());
            }
            if (t.isEmpty()) {
                throw new ImageArgs.UsageException("--opa-token-file: " + tokenFile + " is empty");
            }
        }
        if (caCert != null && !Files.isRegularFile(caCert)) {
            throw new ImageArgs.UsageException("--opa-ca-cert: " + caCert + ": no such file");
        }
        Duration d = OpaOptions.DEFAULT_TIMEOUT;
        if (timeout != null) {
            try {
                double s = Double.parseDouble(timeout);
                if (!(s > 0) || s > 3600) {
                    throw new NumberFormatException();
                }
                d = Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
            } catch (NumberFormatException e) {
                throw new ImageArgs.UsageException("--opa-timeout: give seconds between 0 and 3600 (e.g. 10 or 0.5)");
            }
        }
        if (concurrency != null && concurrency < 1) {
            throw new ImageArgs.UsageException("--opa-concurrency must be at least 1");
        }
        try {
            return OpaOptions.of(u).withToken(t).withCaCert(caCert).withTimeout(d)
                    .withConcurrency(concurrency == null ? OpaOptions.DEFAULT_CONCURRENCY : concurrency).withPush(!noPush);
        } catch (IllegalArgumentException e) {
            throw new ImageArgs.UsageException("--opa-url: " + e.getMessage());
        }
    }

    /**
     * Connects ({@code GET /health}) and, unless {@code --opa-no-push}, uploads the bundled policies once, so that a
     * server that cannot be used, or refuses a module, stops the scan before it starts.
     *
     * @throws PolicyException with the reason (exit 2)
     */
    static OpaPolicyEngine start(OpaOptions options) throws PolicyException {
        return start(options, List.of());
    }

    /** As {@link #start(OpaOptions)}, uploading {@code extra} modules (your own policies) with the bundled ones. */
    static OpaPolicyEngine start(OpaOptions options, List<PolicyModule> extra) throws PolicyException {
        OpaPolicyEngine engine = OpaPolicyEngine.connect(options);
        try {
            if (options.push()) {
                List<PolicyModule> modules = new ArrayList<>(PolicySources.bundled("policies/kubernetes"));
                modules.addAll(PolicySources.bundled("policies/image"));
                modules.addAll(extra);
                engine.push(modules);
            }
        } catch (PolicyException | RuntimeException e) {
            engine.close();
            throw e;
        }
        LOG.fine(() -> "policies are evaluated by " + engine.name());
        return engine;
    }
}
