package dev.posture.serverless;

import dev.posture.document.InputException;
import dev.posture.document.ParsedDocument;
import dev.posture.iam.analysis.AnalysisResult;
import dev.posture.iam.analysis.IamAnalyzer;
import dev.posture.iam.analysis.ManagedPolicyResolver;
import dev.posture.iam.catalog.ActionCatalog;
import dev.posture.iam.catalog.Catalogs;
import dev.posture.iam.model.ServerlessApp;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.TargetType;
import dev.posture.scan.Analyzer;
import dev.posture.scan.ScanContext;
import dev.posture.serverless.aws.AwsOptions;
import dev.posture.serverless.aws.AwsOutcome;
import dev.posture.serverless.aws.LiveAwsCollector;
import dev.posture.serverless.load.ServerlessLoaders;
import dev.posture.source.Input;
import dev.posture.source.InputKind;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The serverless half: IAM policies, CloudFormation/SAM, serverless.yml, Terraform plans and live
 * AWS, loaded into the IAM model and analysed by {@link IamAnalyzer}. Each file is a target; live
 * AWS gives one target per function (and one for the account).
 */
public final class ServerlessAnalyzer implements Analyzer {
    private static final Set<InputKind> KINDS = EnumSet.of(InputKind.IAM_POLICY, InputKind.IAM_AUTHORIZATION_DETAILS,
            InputKind.CLOUDFORMATION, InputKind.SERVERLESS_FRAMEWORK, InputKind.TERRAFORM_PLAN, InputKind.AWS_ACCOUNT);

    private final Supplier<IamAnalyzer> analyzer;
    private final AwsOptions aws;
    private volatile IamAnalyzer loaded;

    /**
     * @param catalog the action catalog, resolved lazily so scans without serverless inputs never load it
     * @param aws     live AWS options, or null when not scanning live AWS
     */
    public ServerlessAnalyzer(Supplier<ActionCatalog> catalog, AwsOptions aws, java.time.Clock clock) {
        this.analyzer = () -> new IamAnalyzer(catalog.get(), ManagedPolicyResolver.bundled(), clock);
        this.aws = aws;
    }

    /** The default: the user's catalog if imported, else the bundled one. */
    public static ServerlessAnalyzer withDefaults(AwsOptions aws, java.time.Clock clock) {
        return new ServerlessAnalyzer(Catalogs::defaultCatalog, aws, clock);
    }

    @Override
    public String name() {
        return "serverless";
    }

    @Override
    public Optional<InputKind> recognise(ParsedDocument doc) {
        return ServerlessLoaders.detect(doc);
    }

    @Override
    public boolean accepts(Input input) {
        return KINDS.contains(input.kind());
    }

    @Override
    public TargetType targetType(Input input) {
        return input.kind() == InputKind.IAM_POLICY || input.kind() == InputKind.IAM_AUTHORIZATION_DETAILS
                ? TargetType.IAM : TargetType.LAMBDA;
    }

    /**
     * A Lambda target (template, serverless.yml, plan, live function) is checked by every IAM/Lambda rule; a
     * bare IAM policy or authorization details file only by the IAM rules (no function, so no runtime,
     * network, secrets or code checks). The {@code input-warning} pseudo-rule checks nothing.
     */
    @Override
    public List<dev.posture.model.Rule> rules(TargetType type) {
        List<dev.posture.model.Rule> out = new java.util.ArrayList<>();
        for (dev.posture.model.Rule r : dev.posture.iam.analysis.IamRules.all()) {
            if (r.id().equals(dev.posture.iam.analysis.IamRules.INPUT_WARNING.id())) {
                continue;
            }
            if (type == TargetType.LAMBDA || r.theme() == dev.posture.model.Theme.IAM) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void analyze(List<Input> inputs, ScanContext ctx) {
        for (Input in : inputs) {
            if (in.kind() == InputKind.AWS_ACCOUNT) {
                analyzeLive(ctx);
            } else {
                analyzeFile(in, ctx);
            }
        }
    }

    private void analyzeFile(Input in, ScanContext ctx) {
        Target target = Target.scanned(targetType(in), in.name(), in.name());
        ServerlessApp app;
        try {
            app = ServerlessLoaders.load(in);
        } catch (InputException e) {
            ctx.target(target.withStatus(TargetStatus.FAILED, e.getMessage()));
            return;
        }
        report(app, target, ctx);
    }

    private void analyzeLive(ScanContext ctx) {
        if (aws == null) {
            ctx.target(Target.failed(TargetType.LAMBDA, "aws", "aws", "live AWS scanning was not configured"));
            return;
        }
        for (AwsOutcome o : new LiveAwsCollector(aws).collect()) {
            if (o.target().status() == TargetStatus.FAILED) {
                ctx.target(o.target());
            } else {
                report(o.app(), o.target(), ctx);
            }
        }
    }

    private void report(ServerlessApp app, Target target, ScanContext ctx) {
        AnalysisResult r = iam().analyze(app, target.ref());
        r.findings().forEach(ctx::finding);
        r.summaries().forEach(ctx::summary);
        ctx.target(target);
    }

    private IamAnalyzer iam() {
        IamAnalyzer a = loaded;
        if (a == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = analyzer.get();
                }
                a = loaded;
            }
        }
        return a;
    }
}
