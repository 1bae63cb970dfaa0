package mnistxent.cli;

import mnistxent.Plural;
import mnistxent.UserError;
import mnistxent.bench.FullJobBenchmark;
import mnistxent.bench.JvmLaunch;
import mnistxent.bench.ProcessMemory;
import mnistxent.bench.StepBenchmark;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.MnistData;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.Backend;
import mnistxent.engine.EngineChoice;
import mnistxent.engine.EngineKind;
import mnistxent.engine.cuda.GpuProbe;
import mnistxent.report.Csv;
import mnistxent.report.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bench}: how fast each engine is (README, Performance). Two modes:
 * <ul>
 *   <li>default: in one process, per engine, set-up time, training steps/s (median of windows after
 *       a warm-up) and the test-set evaluation time;</li>
 *   <li>{@code --full}: the whole job per system in a process of its own, side by side with
 *       TensorFlow's runtime running the same job (tf-reference's TfMnistJob): wall time, peak
 *       memory, memory after the first epoch and at the end; medians over {@code --repeats}.</li>
 * </ul>
 * A table goes to stdout and a CSV file is written.
 */
@Command(name = "bench",
        header = "Measure the engines' training speed (with --full: whole jobs, and TensorFlow's).", mixinStandardHelpOptions = true,
        description = "Measures the training engines (and, with --full, TensorFlow) on the real data.")
public final class BenchCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(BenchCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = ConfigLoader.DEFAULT_CONFIG,
            description = "Experiment config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--engines", split = ",", paramLabel = "LIST",
            description = "Engines (or, with --full, systems: kernel, dl4j, cuda, launcher = the kernel engine "
                    + "through bin/mnist-xent, tf = TensorFlow with its default threads, tf1 = TensorFlow on one "
                    + "thread). Default: kernel,dl4j; with --full: kernel,launcher,tf,tf1 (launcher once mvn package "
                    + "has made it); cuda is added where a GPU can run it.")
    List<String> engines;

    @Option(names = "--full", description = "Run the whole job per system in its own process.")
    boolean full;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N",
            description = "With --full: runs per system (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S",
            description = "Seconds of training per engine before measuring (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--windows", defaultValue = "9", paramLabel = "N",
            description = "Measured windows per engine; the median is reported (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--window-seconds", defaultValue = "0.5", paramLabel = "S",
            description = "Length of a window in seconds (default: ${DEFAULT-VALUE}).")
    double windowSeconds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the config's runs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Where to write the CSV (default: runs/bench/bench-<time>.csv).")
    Path csv;

    @Option(names = "--tf-reference", paramLabel = "DIR", defaultValue = "tf-reference",
            description = "The TensorFlow reference project (built by mvn -B verify).")
    Path tfReference;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || windows < 1 || !(windowSeconds > 0) || !(warmupSeconds >= 0)) {
            throw new UserError("--repeats and --windows must be >= 1, --window-seconds > 0, --warmup-seconds >= 0");
        }
        ExperimentConfig c = ConfigLoader.load(config).withSeed(seed);
        Path out = csv != null ? csv : Path.of("runs", "bench",
                "bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()) + ".csv");
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        if (full) {
            runFull(c, out, spec.commandLine().getOut());
        } else {
            runSteps(c, out, spec.commandLine().getOut());
        }
        log.info("wrote {}", out);
        return 0;
    }

    /** The engines or systems to measure: the ones asked for, else the defaults and the GPU where there is one. */
    /** The system that runs the whole job through the launcher. */
    private static final String LAUNCHER = "launcher";

    private static Path launcher() {
        return ProjectFiles.resolve("bin/mnist-xent");
    }

    private List<String> systems(List<String> defaults) {
        if (engines != null) {
            return engines;
        }
        List<String> out = new ArrayList<>(defaults);
        try {
            EngineChoice.decide(EngineKind.CUDA.cliName(), Optional.empty(), Backend.cudaOnClasspath(),
                    GpuProbe::probe);
            out.add(1, EngineKind.CUDA.cliName());
        } catch (EngineChoice.Refused e) {
            log.info("no cuda engine in the benchmark: {}", e.getMessage());
        }
        return out;
    }

    private void runSteps(ExperimentConfig c, Path out, PrintWriter stdout) throws Exception {
        List<String> names = systems(List.of("kernel", "dl4j"));
        List<EngineKind> kinds = new ArrayList<>();
        boolean nd4jOnGpu = false;
        for (String name : names) {
            EngineChoice choice = EngineChoice.decide(new EngineName().convert(name), Optional.empty(),
                    Backend.cudaOnClasspath(), GpuProbe::probe);
            kinds.add(choice.engine());
            nd4jOnGpu |= choice.nd4jOnGpu();
        }
        Backend backend = Backend.start(nd4jOnGpu);
        log.info(backend.describe());
        long t0 = System.nanoTime();
        MnistData data = MnistFetcher.load(c.data());
        double dataSeconds = (System.nanoTime() - t0) / 1e9;
        StepBenchmark.Settings settings = new StepBenchmark.Settings(warmupSeconds, windows, windowSeconds, 7);
        List<StepBenchmark.Result> results = new ArrayList<>();
        for (EngineKind kind : kinds) {
            log.info("measuring {} ...", kind.cliName());
            results.add(StepBenchmark.run(kind, c, data, settings));
        }
        double slowest = results.stream().mapToDouble(r -> r.stepsPerSecond().median()).min().orElse(1);
        stdout.printf(Locale.ROOT, "config %s, batch %d; %s; data load %.2f s; peak RSS of this process %s%n",
                c.name(), c.training().batchSize(), backend.describe(), dataSeconds,
                mb(ProcessMemory.selfPeakRss().orElse(-1)));
        stdout.printf(Locale.ROOT, "%-8s %9s %28s %8s %20s %8s%n", "engine", "setup s", "steps/s median (min-max)",
                "x", "test eval ms median", "correct");
        List<List<String>> rows = new ArrayList<>();
        for (StepBenchmark.Result r : results) {
            Stats s = r.stepsPerSecond();
            stdout.printf(Locale.ROOT, "%-8s %9.2f %12.0f (%6.0f-%6.0f) %8.1f %20.2f %8d%n", r.engine().cliName(),
                    r.setupSeconds(), s.median(), s.min(), s.max(), s.median() / slowest,
                    r.evalMillis().median(), r.testCorrect());
            rows.add(List.of(r.engine().cliName(), fmt(r.setupSeconds()), fmt(s.median()), fmt(s.min()),
                    fmt(s.max()), Integer.toString(s.n()), fmt(r.evalMillis().median()),
                    Integer.toString(r.testCorrect())));
        }
        Csv.write(out, List.of("engine", "setup_s", "steps_per_s_median", "steps_per_s_min", "steps_per_s_max",
                "windows", "test_eval_ms_median", "test_correct"), rows);
    }

    private void runFull(ExperimentConfig c, Path out, PrintWriter stdout) throws Exception {
        List<String> systems = systems(Files.isExecutable(launcher())
                ? List.of("kernel", LAUNCHER, "tf", "tf1") : List.of("kernel", "tf", "tf1"));
        Path dataDir = mnistxent.data.fetch.MnistFetcher.prepare(c.data());
        Path scratch = Files.createTempDirectory("mnist-xent-bench");
        List<List<String>> rows = new ArrayList<>();
        List<double[]> medians = new ArrayList<>();
        stdout.printf(Locale.ROOT, "full job: %s, %s x %s of %d, %s per system%n", c.name(),
                Plural.of(c.training().epochs(), "epoch"), Plural.of(c.training().stepsPerEpoch(), "step"),
                c.training().batchSize(), Plural.of(repeats, "run"));
        for (String system : systems) {
            double[] walls = new double[repeats];
            double[] peaks = new double[repeats];
            double[] firstEpoch = new double[repeats];
            double[] mid = new double[repeats];
            double[] end = new double[repeats];
            int best = -1;
            for (int r = 0; r < repeats; r++) {
                List<String> command = commandFor(system, c, dataDir, scratch.resolve(system + "-" + r));
                log.info("{} run {}/{} ...", system, r + 1, repeats);
                FullJobBenchmark.Run run = FullJobBenchmark.run(system, command, Path.of("."),
                        c.training().epochs() / 2, line -> log.debug("[{}] {}", system, line));
                if (run.exitCode() != 0) {
                    throw new UserError(system + " exited with status " + run.exitCode()
                            + " (its output is in the log at DEBUG level)");
                }
                walls[r] = run.wallSeconds();
                peaks[r] = run.peakRssBytes();
                firstEpoch[r] = run.rssAfterFirstEpochBytes();
                mid[r] = run.rssMidRunBytes();
                end[r] = run.rssAtEndBytes();
                best = run.best();
                rows.add(List.of(system, Integer.toString(r + 1), fmt(run.wallSeconds()), mbNumber(run.peakRssBytes()),
                        mbNumber(run.rssAfterFirstEpochBytes()), mbNumber(run.rssMidRunBytes()),
                        mbNumber(run.rssAtEndBytes()),
                        Integer.toString(run.best())));
                log.info("{} run {}: {} s, peak RSS {}, best {}", system, r + 1, fmt(run.wallSeconds()),
                        mb(run.peakRssBytes()), run.best());
            }
            medians.add(new double[]{Stats.of(walls).median(), Stats.of(peaks).median(),
                    Stats.of(firstEpoch).median(), Stats.of(mid).median(), Stats.of(end).median(), best});
        }
        // Compare with the faster of TF's two thread settings, whichever that was on this machine today.
        int tfIndex = -1;
        for (int i = 0; i < systems.size(); i++) {
            if (systems.get(i).startsWith("tf") && (tfIndex < 0 || medians.get(i)[0] < medians.get(tfIndex)[0])) {
                tfIndex = i;
            }
        }
        stdout.printf(Locale.ROOT, "%-8s %12s %10s %10s %16s %12s %12s %6s%n", "system", "wall s (med)",
                tfIndex >= 0 ? "x " + systems.get(tfIndex) : "", "peak RSS", "RSS after ep. 0", "RSS mid-run",
                "RSS at end", "best");
        for (int i = 0; i < systems.size(); i++) {
            double[] m = medians.get(i);
            String ratio = tfIndex >= 0 ? String.format(Locale.ROOT, "%.2f", m[0] / medians.get(tfIndex)[0]) : "";
            stdout.printf(Locale.ROOT, "%-8s %12.2f %10s %10s %16s %12s %12s %6d%n", systems.get(i), m[0], ratio,
                    mb((long) m[1]), mb((long) m[2]), mb((long) m[3]), mb((long) m[4]), (int) m[5]);
        }
        Csv.write(out, List.of("system", "run", "wall_s", "peak_rss_mb", "rss_after_epoch0_mb", "rss_mid_run_mb",
                        "rss_end_mb", "best"),
                rows);
    }

    private List<String> commandFor(String system, ExperimentConfig c, Path dataDir, Path runDir) {
        return switch (system) {
            case "kernel", "dl4j", "cuda" -> JvmLaunch.command(Main.class.getName(), List.of("train",
                    "--config", config.toString(), "--engine", system, "--seed", Long.toString(seed),
                    "--output-dir", runDir.toString(), "--data-dir", dataDir.toString(), "--no-progress"));
            case LAUNCHER -> {
                // the plain java command as users type it, with the launcher's class archive (README, Performance)
                if (!Files.isExecutable(launcher())) {
                    throw new UserError(launcher() + " is missing; build it with: mvn package (README, \"The launcher\")");
                }
                yield List.of(launcher().toString(), "train", "--config", config.toAbsolutePath().toString(),
                        "--engine", "kernel", "--seed", Long.toString(seed), "--output-dir", runDir.toString(),
                        "--data-dir", dataDir.toString(), "--no-progress");
            }
            case "tf", "tf1" -> FullJobBenchmark.tensorFlowCommand(tfReference, dataDir, c.loss().yamlName(),
                    c.training().epochs(), c.training().stepsPerEpoch(), c.training().batchSize(),
                    c.updater().learningRate(), seed, system.equals("tf1") ? 1 : null);
            default -> throw new UserError("unknown system '" + system
                    + "' for --full; allowed: kernel, dl4j, cuda, launcher (bin/mnist-xent), tf (TF's default threads), "
                    + "tf1 (TF on one thread)");
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String mbNumber(long bytes) {
        return bytes < 0 ? "" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
    }
}
