package mnistxent.ablation;

import mnistxent.UserError;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.MnistData;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.EngineKind;
import mnistxent.io.AtomicFiles;
import mnistxent.run.MetricsFile;
import mnistxent.run.RunDirectory;
import mnistxent.train.RunGroup;
import mnistxent.train.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The loss/init ablation (README, ablate), start to end: train what is missing ({@link AblationRunner}), then
 * summarise every run from its {@code metrics.csv} and write the report ({@link AblationReport}).
 * The {@code ablate} command is a thin wrapper around {@link #run}.
 */
public final class Ablation {

    private static final Logger log = LoggerFactory.getLogger(Ablation.class);

    /** The engine of every run: the hand-written kernel, single-threaded and exact (TF parity tests). */
    static final String ENGINE = "kernel";
    /** What a run would have printed on stdout (the script's lines), kept in its directory. */
    public static final String STDOUT_FILE = RunGroup.STDOUT_FILE;

    private Ablation() {
    }

    /** What {@link #run} did and where the report is. */
    public record Result(AblationRunner.Outcome outcome, List<ConfigSummary> summaries, Path markdown) {
    }

    /**
     * Trains the plan's missing runs with {@code runFunction}, {@code parallel} at a time, and writes the report.
     * {@code command} and {@code hardware} are the report's provenance: how to regenerate it, and where it ran.
     */
    public static Result run(AblationPlan plan, int parallel, AblationRunner.RunFunction runFunction, String command,
                             String hardware) {
        AblationRunner.Outcome outcome = new AblationRunner(runFunction, parallel).run(plan.runs());
        return report(plan, outcome, new AblationReport.Context(plan.out(), command, parallel, ENGINE, hardware));
    }

    /**
     * The same ablation trained in groups: each config's pending runs, up to {@code runsPerLaunch} at a time,
     * in lockstep on one multi-run engine ({@link RunGroup}: one GPU launch per epoch for the whole group).
     * Each run equals the same run trained alone; a group interrupted is trained again whole.
     */
    public static Result runGrouped(AblationPlan plan, EngineKind engine, int runsPerLaunch, int threads,
                                    Supplier<MnistData> data, String command, String hardware) {
        long start = System.nanoTime();
        List<PlannedRun> todo = AblationRunner.pending(plan.runs());
        int total = plan.size();
        log.info("ablation: {} runs, {} already finished, {} to train, up to {} per launch on the {} engine", total,
                total - todo.size(), todo.size(), runsPerLaunch, engine.cliName());
        int done = total - todo.size();
        for (List<PlannedRun> group : groups(todo, runsPerLaunch)) {
            long t = System.nanoTime();
            RunGroup.train(engine, group.stream().map(r -> new RunGroup.Member(r.config(), r.directory())).toList(),
                    data.get(), threads);
            for (PlannedRun r : group) {
                RunStatus status = RunStatus.of(r);
                if (!status.finished()) {
                    throw new IllegalStateException(r.label() + " ended but is not finished: " + status.detail());
                }
            }
            done += group.size();
            log.info("[{}/{}] {} seeds {}-{}: {} runs in {} s", done, total, group.get(0).configName(),
                    group.get(0).seed(), group.get(group.size() - 1).seed(), group.size(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t) / 1e9));
        }
        AblationRunner.Outcome outcome = new AblationRunner.Outcome(total, total - todo.size(), todo.size(),
                (System.nanoTime() - start) / 1e9);
        return report(plan, outcome, new AblationReport.Context(plan.out(), command, runsPerLaunch,
                engine.cliName(), hardware));
    }

    /** Summarises every run of the plan, writes the report and says where it is. */
    private static Result report(AblationPlan plan, AblationRunner.Outcome outcome, AblationReport.Context context) {
        List<ConfigSummary> summaries = summarise(plan);
        try {
            AblationReport.write(summaries, context);
        } catch (IOException e) {
            throw new UserError("cannot write the ablation report into " + plan.out() + ": " + e.getMessage());
        }
        Path markdown = plan.out().resolve(AblationReport.MARKDOWN);
        log.info("ablation: {} runs ({} trained now, {} reused) in {} s; report: {}", outcome.total(),
                outcome.trained(), outcome.skipped(), String.format(Locale.ROOT, "%.0f", outcome.seconds()), markdown);
        return new Result(outcome, summaries, markdown);
    }

    /** Consecutive runs of one config, at most {@code size} together (runs come config by config). */
    static List<List<PlannedRun>> groups(List<PlannedRun> runs, int size) {
        List<List<PlannedRun>> out = new ArrayList<>();
        List<PlannedRun> current = new ArrayList<>();
        for (PlannedRun r : runs) {
            if (!current.isEmpty() && (current.size() == size
                    || !current.get(0).configName().equals(r.configName()))) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(r);
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Every run's numbers, config by config, from the finished runs' metrics. */
    static List<ConfigSummary> summarise(AblationPlan plan) {
        List<ConfigSummary> out = new ArrayList<>();
        for (ExperimentConfig config : plan.configs()) {
            List<RunSummary> runs = new ArrayList<>();
            for (long seed : plan.seedList()) {
                Path metrics = new RunDirectory(plan.runDirectory(config.name(), seed)).metrics();
                try {
                    runs.add(new RunSummary(config.name(), seed, MetricsFile.read(metrics)));
                } catch (IOException e) {
                    throw new UserError("cannot read " + metrics + ": " + e.getMessage());
                }
            }
            out.add(new ConfigSummary(config, runs));
        }
        return out;
    }

    /**
     * The real run: {@link TrainingRun#fresh} into the planned directory, as one of several runs in
     * this JVM, on MNIST loaded once for all runs; the script's lines go to {@value #STDOUT_FILE}
     * instead of interleaving on stdout.
     */
    public static AblationRunner.RunFunction trainingRun(Supplier<MnistData> data) {
        return new AblationRunner.RunFunction() {
            @Override
            public void prepare() {
                data.get();
            }

            @Override
            public void train(PlannedRun run) throws IOException {
                TrainingRun.Options options = new TrainingRun.Options(ENGINE, null, false).sharedIn(run.directory());
                StringWriter captured = new StringWriter();
                try (PrintWriter stdout = new PrintWriter(captured)) {
                    TrainingRun.fresh(run.config(), options, data.get(), stdout);
                }
                AtomicFiles.writeString(run.directory().resolve(STDOUT_FILE), captured.toString());
            }
        };
    }

    /** MNIST, located, verified and loaded on first use, then shared by every run (it is read-only). */
    public static Supplier<MnistData> sharedData(ExperimentConfig config) {
        return new Supplier<>() {
            private MnistData data;

            @Override
            public synchronized MnistData get() {
                if (data == null) {
                    data = MnistFetcher.load(config.data());
                }
                return data;
            }
        };
    }
}
