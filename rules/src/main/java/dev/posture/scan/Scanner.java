package dev.posture.scan;

import dev.posture.document.InputException;
import dev.posture.model.Coverage;
import dev.posture.model.Finding;
import dev.posture.model.FunctionSummary;
import dev.posture.model.Severity;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.TargetType;
import dev.posture.model.Unrecognised;
import dev.posture.source.ContentSniffer;
import dev.posture.source.Input;
import dev.posture.source.InputCollector;
import dev.posture.source.InputKind;
import dev.posture.source.SourceFile;
import dev.posture.triage.Triage;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one scan: collect → recognise → analyse → triage. Every input ends as a target, scanned,
 * failed or skipped; a failure in one input or analyzer never stops the others.
 */
public final class Scanner {
    private static final Logger LOG = Logger.getLogger(Scanner.class.getName());

    private final List<Analyzer> analyzers;
    private final int parallelism;
    private final Clock clock;
    private final ProgressListener progress;
    private final String toolVersion;

    public Scanner(List<Analyzer> analyzers, int parallelism, Clock clock, ProgressListener progress,
                   String toolVersion) {
        this.analyzers = List.copyOf(analyzers);
        this.parallelism = Math.max(1, parallelism);
        this.clock = clock;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.toolVersion = toolVersion;
    }

    public ScanResult scan(ScanRequest request, Triage triage) {
        Instant started = clock.instant();
        List<Target> targets = Collections.synchronizedList(new ArrayList<>());
        List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        List<FunctionSummary> summaries = Collections.synchronizedList(new ArrayList<>());
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        List<Unrecognised> unrecognised = new ArrayList<>();
        Set<String> reported = ConcurrentHashMap.newKeySet();
        Map<Analyzer, Set<TargetType>> scannedTypes = new ConcurrentHashMap<>();

        Shard shard = request.shard() == null ? Shard.ALL : request.shard();
        InputCollector.Collected collected = new InputCollector().collect(request.paths());
        for (InputCollector.Problem p : collected.problems()) {
            if (!shard.owns(p.name())) {
                continue;
            }
            targets.add(Target.failed(guessType(p.name(), ""), p.name(), p.name(), p.name() + ": " + p.error()));
        }
        for (InputCollector.Problem p : collected.skipped()) {
            if (!shard.owns(p.name())) {
                continue;
            }
            targets.add(new Target(guessType(p.name(), ""), p.name(), p.name(), TargetStatus.SKIPPED, p.error()));
        }
        List<SourceFile> files = collected.files();
        int total = files.size() + request.images().size() + (request.aws() ? 1 : 0);
        progress.started(total);

        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "posture-scan");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try {
            List<Input> inputs = recognise(files, request, pool, targets, unrecognised, shard);
            long t1 = System.nanoTime();
            LOG.fine(() -> files.size() + " file(s) read and recognised in " + (t1 - t0) / 1_000_000 + " ms");
            for (String ref : request.images()) {
                if (!shard.owns(ref)) {
                    continue;
                }
                inputs.add(new Input(ref, null, InputKind.IMAGE_REF, List.of()));
            }
            if (request.aws() && shard.owns("aws")) {
                inputs.add(new Input("aws", null, InputKind.AWS_ACCOUNT, List.of()));
            }
            ScanContext ctx = new ScanContext(t -> {
                targets.add(t);
                reported.add(t.name());
                progress.finished(t.name());
            }, findings::add, warnings::add, summaries::add, clock, parallelism);
            analyse(inputs, ctx, pool, targets, reported, shard, scannedTypes);
            long t2 = System.nanoTime();
            LOG.fine(() -> inputs.size() + " input(s) analysed in " + (t2 - t1) / 1_000_000 + " ms");
        } finally {
            pool.shutdownNow();
        }
        long t3 = System.nanoTime();

        List<String> allWarnings = new ArrayList<>(triage.warnings());
        allWarnings.addAll(warnings);
        List<Finding> triaged = new ArrayList<>(triage.apply(new ArrayList<>(findings)));
        triaged.sort(FINDING_ORDER);
        List<Target> sortedTargets = dedupeTargets(targets);
        // by path, like targets by name: the order does not depend on the order of the arguments (or the shards)
        unrecognised.sort(Comparator.comparing(Unrecognised::path));
        List<FunctionSummary> sortedSummaries = new ArrayList<>(summaries);
        sortedSummaries.sort(Comparator.comparing((FunctionSummary s) -> s.target().name())
                .thenComparing(FunctionSummary::function));
        LOG.fine(() -> findings.size() + " finding(s) triaged and sorted in " + (System.nanoTime() - t3) / 1_000_000 + " ms");
        // coverage: what the analyzers that scanned at least one target of a type check on that type
        Set<Coverage> coverage = new java.util.TreeSet<>();
        scannedTypes.forEach((analyzer, types) -> types.forEach(type -> coverage.addAll(analyzer.coverage(type))));
        // and which rules ran on each type (JUnit's passing testcases)
        Map<TargetType, Set<String>> checks = new java.util.EnumMap<>(TargetType.class);
        scannedTypes.forEach((analyzer, types) -> types.forEach(type -> analyzer.rules(type)
                .forEach(r -> checks.computeIfAbsent(type, k -> new java.util.TreeSet<>()).add(r.id()))));
        Map<TargetType, List<String>> checkLists = new java.util.EnumMap<>(TargetType.class);
        checks.forEach((type, ids) -> checkLists.put(type, List.copyOf(ids)));
        return new ScanResult("posture", toolVersion, UUID.randomUUID().toString(), started, request.baseDir(),
                sortedTargets, triaged, sortedSummaries, allWarnings, unrecognised, request.shard(),
                List.copyOf(coverage), checkLists);
    }

    private List<Input> recognise(List<SourceFile> files, ScanRequest request, ExecutorService pool,
                                  List<Target> targets, List<Unrecognised> unrecognised, Shard shard) {
        List<Future<Object>> futures = new ArrayList<>();
        for (SourceFile f : files) {
            futures.add(pool.submit(() -> {
                try {
                    return ContentSniffer.sniff(f, request.stdin(), this::recognise);
                } catch (InputException e) {
                    return e;
                }
            }));
        }
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            SourceFile f = files.get(i);
            Object r;
            try {
                r = futures.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = new InputException(f.name() + ": interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                r = new InputException(f.name() + ": internal error while reading: " + c.getClass().getSimpleName()
                        + (c.getMessage() == null ? "" : ": " + firstLine(c.getMessage())));
                LOG.log(Level.FINE, "reading " + f.name() + " failed", c);
            }
            if (!shard.owns(f.name()) && !(r instanceof Input in0 && crossInput(in0))) {
                // another shard's file; a cross-input analyzer's inputs are read by every shard (see analyse)
                progress.finished(f.name());
                continue;
            }
            if (r instanceof ContentSniffer.CandidateException e) {
                targets.add(Target.failed(guessType(new Input(f.name(), null, e.kind(), List.of())), f.name(), f.name(),
                        e.getMessage()));
                progress.finished(f.name());
                continue;
            }
            if (r instanceof InputException e) {
                targets.add(Target.failed(guessType(f.name(), head(f)), f.name(), f.name(), e.getMessage()));
                progress.finished(f.name());
                continue;
            }
            Input in = (Input) r;
            if (in.kind() == InputKind.UNKNOWN) {
                unrecognised.add(new Unrecognised(f.name(), in.unrecognisedReason() == null
                        ? "not a recognised input" : in.unrecognisedReason()));
                LOG.fine(() -> "not a recognised input: " + f.name());
                progress.finished(f.name());
                continue;
            }
            inputs.add(in);
        }
        return inputs;
    }

    private java.util.Optional<InputKind> recognise(dev.posture.document.ParsedDocument doc) {
        for (Analyzer a : analyzers) {
            java.util.Optional<InputKind> k = a.recognise(doc);
            if (k.isPresent()) {
                return k;
            }
        }
        return java.util.Optional.empty();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private boolean crossInput(Input in) {
        if (in.kind() == InputKind.UNKNOWN) {
            return false;
        }
        return analyzers.stream().filter(x -> x.accepts(in)).findFirst().map(Analyzer::crossInput).orElse(false);
    }

    /**
     * Sharding: an analyzer that judges inputs one by one gets only this shard's inputs. A cross-input analyzer
     * (Kubernetes: a NetworkPolicy in one file covers the pods of another) gets every input of the scan, so that
     * its inventory is the whole scan's, and only what it reports about this shard's targets is kept. The union of
     * the shards is therefore exactly the whole scan.
     */
    private void analyse(List<Input> inputs, ScanContext ctx, ExecutorService pool, List<Target> targets,
                         Set<String> reported, Shard shard, Map<Analyzer, Set<TargetType>> scannedTypes) {
        Map<Analyzer, List<Input>> byAnalyzer = new LinkedHashMap<>();
        for (Input in : inputs) {
            Analyzer a = analyzers.stream().filter(x -> x.accepts(in)).findFirst().orElse(null);
            if (a == null || !a.crossInput()) {
                if (!shard.owns(in.name())) {
                    continue;
                }
            }
            if (a == null) {
                targets.add(new Target(guessType(in), in.name(), in.name(), TargetStatus.SKIPPED,
                        "no analyzer for " + in.kind().name().toLowerCase().replace('_', ' ') + " inputs in this build"));
                progress.finished(in.name());
                continue;
            }
            byAnalyzer.computeIfAbsent(a, k -> new ArrayList<>()).add(in);
        }
        List<Map.Entry<Analyzer, List<Input>>> jobs = new ArrayList<>();
        for (Map.Entry<Analyzer, List<Input>> e : byAnalyzer.entrySet()) {
            if (e.getKey().crossInput()) {
                jobs.add(e);
            } else {
                for (Input in : e.getValue()) {
                    jobs.add(Map.entry(e.getKey(), List.of(in)));
                }
            }
        }
        ScanContext own = shard.whole() ? ctx : new ScanContext(
                t -> {
                    if (shard.owns(t.name())) {
                        ctx.target(t);
                    } else {
                        reported.add(t.name()); // another shard's file: read for the inventory, reported there
                        progress.finished(t.name());
                    }
                },
                f -> {
                    if (shard.owns(f.target().name())) {
                        ctx.finding(f);
                    }
                },
                ctx::warn,
                s -> {
                    if (s.target() == null || shard.owns(s.target().name())) {
                        ctx.summary(s);
                    }
                },
                ctx.clock(), ctx.parallelism(), shard::owns);
        List<Future<?>> futures = new ArrayList<>();
        for (Map.Entry<Analyzer, List<Input>> job : jobs) {
            Analyzer a = job.getKey();
            ScanContext base = a.crossInput() ? own : ctx;
            // the analyzer's own view of the context: records which target types it scanned (for coverage)
            ScanContext c = new ScanContext(t -> {
                if (t.status() == TargetStatus.SCANNED) {
                    scannedTypes.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet()).add(t.type());
                }
                base.target(t);
            }, base.findings(), base.warnings(), base.summaries(), base.clock(), base.parallelism(), base.reports());
            futures.add(pool.submit(() -> runJob(a, job.getValue(), c, targets, reported)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, "analyzer job failed", e.getCause());
            }
        }
    }

    private void runJob(Analyzer analyzer, List<Input> batch, ScanContext ctx, List<Target> targets,
                        Set<String> reported) {
        try {
            analyzer.analyze(batch, ctx);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            LOG.log(Level.FINE, "analyzer " + analyzer.name() + " failed", e);
            for (Input in : batch) {
                if (!reported.contains(in.name())) {
                    ctx.target(Target.failed(analyzer.targetType(in), in.name(), in.name(),
                            "internal error in " + analyzer.name() + " analyzer: " + firstLine(String.valueOf(e))));
                }
            }
            return;
        }
        // An analyzer that forgot an input must not lose it silently.
        for (Input in : batch) {
            if (in.kind() != InputKind.AWS_ACCOUNT && !reported.contains(in.name())) {
                ctx.target(Target.failed(analyzer.targetType(in), in.name(), in.name(),
                        "the " + analyzer.name() + " analyzer reported no result for this input"));
            }
        }
    }

    private static List<Target> dedupeTargets(List<Target> targets) {
        Map<String, Target> byKey = new LinkedHashMap<>();
        synchronized (targets) {
            for (Target t : targets) {
                String key = t.type() + "\u0000" + t.name();
                Target old = byKey.get(key);
                // failed wins over scanned: one failing part makes the target incomplete
                if (old == null || t.status() == TargetStatus.FAILED) {
                    byKey.put(key, t);
                }
            }
        }
        List<Target> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing((Target t) -> t.type().ordinal()).thenComparing(Target::name));
        return out;
    }

    private static String head(SourceFile f) {
        if (f.path() == null) {
            return "";
        }
        try (var in = Files.newInputStream(f.path())) {
            return new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static TargetType guessType(Input in) {
        return switch (in.kind()) {
            case KUBERNETES -> TargetType.KUBERNETES;
            case IMAGE_ARCHIVE, IMAGE_REF -> TargetType.IMAGE;
            case IAM_POLICY, IAM_AUTHORIZATION_DETAILS -> TargetType.IAM;
            case CLOUDFORMATION, SERVERLESS_FRAMEWORK, TERRAFORM_PLAN, AWS_ACCOUNT -> TargetType.LAMBDA;
            case UNKNOWN -> TargetType.KUBERNETES;
        };
    }

    static TargetType guessType(String name, String text) {
        return guessType(new Input(name, null, ContentSniffer.guessFromText(name, text), List.of()));
    }

    /** Severity first, then target, resource, rule, fingerprint: stable across runs. */
    public static final Comparator<Finding> FINDING_ORDER = Comparator
            .comparing((Finding f) -> f.rule().severity())
            .thenComparing(f -> f.target().type().ordinal())
            .thenComparing(f -> f.target().name())
            .thenComparing(f -> f.resource() == null ? "" : f.resource())
            .thenComparing(f -> f.rule().id())
            .thenComparing(f -> f.location() == null ? 0 : f.location().line())
            .thenComparing(Finding::fingerprint);

    /** The highest unsuppressed severity, or null. */
    public static Severity worst(List<Finding> findings) {
        Severity worst = null;
        for (Finding f : findings) {
            if (!f.suppressed() && (worst == null || f.rule().severity().ordinal() < worst.ordinal())) {
                worst = f.rule().severity();
            }
        }
        return worst;
    }
}
