package dev.posture.image.signature;

import dev.posture.model.Rule;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Theme;

import java.util.List;

/** The image signature rules ({@code scan --verify-key}): registry hardening against tampered images. */
public final class SignatureRules {
    private SignatureRules() {
    }

    public static final Rule UNSIGNED = new Rule("img-unsigned", "Image is not signed", Severity.HIGH,
            Surface.CONTAINER, Theme.SUPPLY_CHAIN, "image-unsigned",
            "No cosign signature for the image's digest was found in its repository (tag sha256-<hex>.sig), so nothing"
                    + " shows the image is the one your pipeline built; with --require-signature, an image read from an"
                    + " archive, OCI layout or daemon (where signatures cannot be checked) counts as unsigned too.",
            "Sign the image by digest in your pipeline (cosign sign --key …) and verify before deploying.",
            List.of("https://docs.sigstore.dev/cosign/signing/signing_with_containers/"));

    public static final Rule INVALID = new Rule("img-signature-invalid", "Image signature does not verify",
            Severity.HIGH, Surface.CONTAINER, Theme.SUPPLY_CHAIN, "image-signature-invalid",
            "The image has cosign signatures, but none verifies with the given key(s) and names the image's exact"
                    + " digest: signed by someone else, or a signature moved from another image (tampering).",
            "Find out who pushed the image; re-sign it with your key only after checking its provenance.",
            List.of("https://docs.sigstore.dev/cosign/verifying/verify/"));
}
