package dev.posture.report;

import dev.posture.model.Surface;
import dev.posture.model.Theme;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Who secures each theme in each model: a fixed matrix, written as data, with one sentence of
 * explanation per cell. It is the tool's statement of the shared-responsibility model (AWS Lambda for
 * serverless; containers you run, on a managed or self-managed Kubernetes), not something a scan
 * measures. Documented in {@code docs/report-format.md}.
 */
public final class SharedResponsibility {

    /** Who secures a theme. */
    public enum Owner {
        /** The cloud provider. */
        PROVIDER,
        /** You, the owner of the application. */
        YOU,
        /** Split between the provider and you (the note says where the line is). */
        SHARED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One cell of the matrix. */
    public record Entry(Owner owner, String note) {
    }

    private static final Map<Surface, Map<Theme, Entry>> MATRIX = new EnumMap<>(Surface.class);

    static {
        Map<Theme, Entry> s = new EnumMap<>(Theme.class);
        s.put(Theme.IAM, new Entry(Owner.YOU,
                "Execution roles and resource policies are yours: AWS enforces them, you write them."));
        s.put(Theme.SECRETS, new Entry(Owner.YOU,
                "Keeping secrets out of environment variables, code and packages is yours."));
        s.put(Theme.CODE, new Entry(Owner.YOU,
                "Function code and how it is deployed (code signing) are yours."));
        s.put(Theme.IMAGE, new Entry(Owner.PROVIDER,
                "Managed runtimes: AWS patches the OS and language runtime; for container-image functions the image is yours."));
        s.put(Theme.RUNTIME, new Entry(Owner.PROVIDER,
                "AWS runs and patches the execution sandbox; the runtime version you pick is yours (deprecated runtimes)."));
        s.put(Theme.CLUSTER, new Entry(Owner.PROVIDER,
                "There is no cluster to run: AWS operates the fleet functions run on."));
        s.put(Theme.NETWORK, new Entry(Owner.SHARED,
                "AWS runs the network; who may invoke the function (function URLs, public invoke) is yours."));
        s.put(Theme.SUPPLY_CHAIN, new Entry(Owner.YOU,
                "The dependencies you package with a function are yours."));
        MATRIX.put(Surface.SERVERLESS, s);

        Map<Theme, Entry> c = new EnumMap<>(Theme.class);
        c.put(Theme.IAM, new Entry(Owner.YOU,
                "RBAC, service accounts and workload identities are yours."));
        c.put(Theme.SECRETS, new Entry(Owner.YOU,
                "Secrets in images, manifests and environment variables are yours."));
        c.put(Theme.CODE, new Entry(Owner.YOU,
                "The application code in your images is yours."));
        c.put(Theme.IMAGE, new Entry(Owner.YOU,
                "Base images, packages, users and their patching are yours."));
        c.put(Theme.RUNTIME, new Entry(Owner.YOU,
                "How containers run (privileges, capabilities, seccomp, users) is yours."));
        c.put(Theme.CLUSTER, new Entry(Owner.SHARED,
                "With a managed control plane (EKS, GKE, AKS) the provider runs it; nodes and workload hardening stay yours (all yours when self-managed)."));
        c.put(Theme.NETWORK, new Entry(Owner.YOU,
                "Network policies, exposed ports and host networking are yours."));
        c.put(Theme.SUPPLY_CHAIN, new Entry(Owner.YOU,
                "Registries, tags, digests and the dependencies in your images are yours."));
        MATRIX.put(Surface.CONTAINER, c);
    }

    private SharedResponsibility() {
    }

    /** Who secures {@code theme} on {@code surface}, with a one-sentence note. */
    public static Entry of(Surface surface, Theme theme) {
        return MATRIX.get(surface).get(theme);
    }
}
