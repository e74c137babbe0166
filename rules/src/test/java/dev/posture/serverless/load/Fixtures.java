package dev.posture.serverless.load;

import dev.posture.document.InputException;
import dev.posture.iam.model.LambdaFunction;
import dev.posture.iam.model.Policy;
import dev.posture.iam.model.Role;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.iam.model.Statement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/** Locates the repository's fixtures/ and picks things out of loaded apps. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String relative) {
        String root = System.getProperty("posture.root");
        Path base = root != null ? Path.of(root) : Path.of("..");
        Path p = base.resolve("fixtures").resolve(relative);
        if (!Files.exists(p)) {
            p = Path.of("fixtures").resolve(relative);
        }
        return p;
    }

    static ServerlessApp load(String relative) throws InputException {
        return ServerlessLoaders.load(path(relative));
    }

    static LambdaFunction function(ServerlessApp app, String name) {
        return app.functions().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no function " + name + " in "
                        + app.functions().stream().map(LambdaFunction::name).toList()));
    }

    static Role role(ServerlessApp app, String name) {
        return app.roles().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no role " + name + " in "
                        + app.roles().stream().map(Role::name).toList()));
    }

    static Policy policy(Role role, String name) {
        return role.policies().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no policy " + name + " in "
                        + role.policies().stream().map(Policy::name).toList()));
    }

    static List<String> policyNames(Role role) {
        return role.policies().stream().map(Policy::name).toList();
    }

    static List<String> warnings(ServerlessApp app) {
        return app.warnings().stream().map(w -> w.message() + " @" + w.origin().location()).toList();
    }

    static String dump(ServerlessApp app) {
        StringBuilder sb = new StringBuilder();
        for (LambdaFunction f : app.functions()) {
            sb.append("FUNCTION ").append(f.name()).append(" arn=").append(f.arn()).append(" rt=").append(f.runtime())
                    .append(" pkg=").append(f.packageType()).append(" img=").append(f.imageUri())
                    .append(" tracing=").append(f.tracingMode()).append(" dlq=").append(f.deadLetterTarget())
                    .append(" async=").append(f.asyncInvoked()).append(" csc=").append(f.codeSigningConfigArn())
                    .append(" @").append(f.origin().location()).append(' ').append(f.origin().pointer()).append('\n');
            f.environment().forEach(e -> sb.append("  env ").append(e.name()).append('=').append(e.value())
                    .append(" @").append(e.origin().location()).append('\n'));
            f.urls().forEach(u -> sb.append("  url ").append(u).append('\n'));
            if (f.resourcePolicy() != null) {
                sb.append("  resourcePolicy\n");
                f.resourcePolicy().statements().forEach(s -> stmt(sb, "    ", s));
            }
            if (f.role() != null) {
                role(sb, "  ", f.role());
            }
        }
        for (Role r : app.roles()) {
            role(sb, "", r);
        }
        for (Policy p : app.policies()) {
            policy(sb, "", p);
        }
        app.warnings().forEach(w -> sb.append("WARN ").append(w.message()).append(" @").append(w.origin().location())
                .append(' ').append(w.origin().pointer()).append('\n'));
        return sb.toString();
    }

    private static void role(StringBuilder sb, String in, Role r) {
        sb.append(in).append("ROLE ").append(r.name()).append(" arn=").append(r.arn()).append(" @")
                .append(r.origin().location()).append('\n');
        r.policies().forEach(p -> policy(sb, in + "  ", p));
        if (r.permissionsBoundary() != null) {
            policy(sb, in + "  boundary ", r.permissionsBoundary());
        }
        if (r.trustPolicy() != null) {
            sb.append(in).append("  trust\n");
            r.trustPolicy().statements().forEach(s -> stmt(sb, in + "    ", s));
        }
    }

    private static void policy(StringBuilder sb, String in, Policy p) {
        sb.append(in).append("POLICY ").append(p.name()).append(" kind=").append(p.kind()).append(" arn=")
                .append(p.arn()).append(" @").append(p.origin().location()).append('\n');
        if (p.document() != null) {
            p.document().statements().forEach(s -> stmt(sb, in + "  ", s));
        }
    }

    private static void stmt(StringBuilder sb, String in, Statement s) {
        sb.append(in).append(s.index()).append(' ').append(s.sid()).append(' ').append(s.effect())
                .append(s.notAction() ? " NOT" : " ").append(s.actions()).append(s.notResource() ? " NOTRES" : " ")
                .append(s.resources()).append(" P=").append(s.principal() == null ? null : s.principal().byType())
                .append(" C=").append(s.conditions()).append(" @").append(s.origin().location()).append(' ')
                .append(s.origin().pointer()).append('\n');
    }
}
