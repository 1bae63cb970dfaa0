package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.ablation.Ablation;
import mnistxent.ablation.AblationPlan;
import mnistxent.ablation.AblationReport;
import mnistxent.ablation.ConfigResolver;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ablate}: the loss/init comparison (docs/SPEC.md §8): several configs, several seeds each,
 * runs side by side, resumable; writes {@code ablation.md}, {@code ablation-runs.csv} and two
 * charts, and prints the table on stdout.
 */
@Command(name = "ablate",
        header = "Compare configs over several seeds: a table, a CSV and two charts.",
        mixinStandardHelpOptions = true,
        description = {
                "Trains each config at seeds 1..S into <out>/<config>/seed-<n>/, several",
                "runs at a time, then writes ablation.md (medians, stalled runs, the costs",
                "paired seed by seed), CSVs and charts, and",
                "prints the table. A rerun reuses finished runs, redoes unfinished ones."})
public final class AblateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--configs", paramLabel = "NAME|FILE", split = ",",
            description = "Configs to compare: names in config/ or .yaml paths, comma separated "
                    + "(default: tf14-cross-entropy, tf12-quadratic, tf15-cross-entropy-scaled-init, "
                    + "tf15-quadratic-scaled-init).")
    List<String> configs;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "3",
            description = "Seeds per config (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed-base", paramLabel = "N", defaultValue = "1",
            description = "First seed; the runs use N..N+S-1 (default: ${DEFAULT-VALUE}).")
    long seedBase;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Runs trained at a time, each on one thread (default: the number of cores; "
                    + "on 2 cores, 2 at a time took 30 s for 4 full runs, one at a time 53 s).")
    Integer parallel;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "kernel",
            description = {"kernel: whole runs side by side on the CPU cores (default); cuda: many runs per GPU "
                    + "launch (--runs-per-launch)."})
    String engine;

    @Option(names = "--runs-per-launch", paramLabel = "R",
            description = "Runs of a config trained in lockstep by one engine (one GPU launch per epoch for all). "
                    + "Default: 1 with kernel (runs side by side instead), all seeds (at most 1024) with cuda.")
    Integer runsPerLaunch;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Override every config's training.epochs (quick studies; default: each config's own).")
    Integer epochs;

    @Option(names = "--steps-per-epoch", paramLabel = "N",
            description = "Override every config's training.steps-per-epoch (default: each config's own).")
    Integer stepsPerEpoch;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/ablation",
            description = "Output directory: run directories and the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        if (seeds < 1) {
            throw new UserError("--seeds must be at least 1, got " + seeds);
        }
        if (seedBase < 0 || seedBase > Long.MAX_VALUE - seeds) {
            throw new UserError("--seed-base must be between 0 and " + (Long.MAX_VALUE - seeds) + ", got " + seedBase);
        }
        int threads = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new UserError("--parallel must be at least 1, got " + threads);
        }
        EngineKind kind = EngineKind.byName(engine).filter(k -> k != EngineKind.DL4J).orElseThrow(
                () -> new UserError("--engine must be kernel or cuda for an ablation, got '" + engine + "'"));
        int perLaunch = runsPerLaunch != null ? runsPerLaunch : kind == EngineKind.CUDA ? Math.min(seeds, 1024) : 1;
        if (perLaunch < 1) {
            throw new UserError("--runs-per-launch must be at least 1, got " + perLaunch);
        }
        // Bare config names are the project's shipped configs, whatever the working directory.
        ConfigOverrides study = RunOverrides.checked(() -> new ConfigOverrides(null, epochs, stepsPerEpoch, null, null));
        List<ExperimentConfig> resolved = new ConfigResolver(ProjectFiles.configDir())
                .resolve(configs != null ? configs : ConfigResolver.DEFAULT_CONFIGS)
                .stream().map(study::applyTo).toList();
        String hardware = Engines.prepare(kind.cliName(), Optional.empty()).hardware();
        OutputDirs.prepare(out);
        AblationPlan plan = new AblationPlan(resolved, seedBase, seeds, out);
        var data = Ablation.sharedData(resolved.get(0));
        Ablation.Result result = perLaunch > 1 || kind == EngineKind.CUDA
                ? Ablation.runGrouped(plan, kind, perLaunch, threads, data, commandLine(), hardware)
                : Ablation.run(plan, threads, Ablation.trainingRun(data), commandLine(), hardware);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(AblationReport.table(result.summaries()));
        stdout.flush();
        return 0;
    }

    /** How to run this again, for ablation.md: the arguments as given, as a command that works from a fresh clone. */
    private String commandLine() {
        return CommandHints.maven(spec.commandLine().getParseResult().originalArgs());
    }
}
