package mnistxent.portable;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigOverrides;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.TfBatcher;
import mnistxent.engine.CudaEngine;
import mnistxent.engine.CudaRuns;
import mnistxent.engine.EngineChoice;
import mnistxent.engine.EngineKind;
import mnistxent.engine.KernelEngine;
import mnistxent.engine.TrainingEngine;
import mnistxent.engine.cuda.GpuInfo;
import mnistxent.engine.cuda.GpuProbe;
import mnistxent.model.LayerParameters;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfInitializer;
import mnistxent.replay.BatchIndices;
import mnistxent.replay.Replay;
import mnistxent.report.Stats;
import mnistxent.run.TrainingState;
import mnistxent.train.RunGroup;
import mnistxent.train.ScriptLines;
import mnistxent.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engines without DL4J: what runs on a machine that has a JRE and (for the GPU) an NVIDIA driver, and
 * nothing else (README, Running on a GPU: the portable bundle). Same config loader, data checks, batcher,
 * initialisation, engines and loop ({@link Trainer}) as the application; the model zips, which need DL4J,
 * are left out.
 *
 * <pre>
 * info                                            the GPU, and what the -Pcuda build would run on it
 * job     --engine E [--config F] [--seed N] [--epochs N] [--steps-per-epoch N]
 *                                                 the seed's job: its lines on stdout, timings on stderr
 * replay  --engine E [--config F] --init DIR --batches B.npy --out DIR       as the replay command
 * parity  --engine E --recordings DIR             replay every TensorFlow recording in DIR and compare
 * bench   --engine E [--config F] [--seconds S]   steps per second, epoch-sized calls, median of windows
 * study   --engine E [--configs A,B,..] [--seeds S] [--epochs N] [--steps-per-epoch N]
 *                                                 each config's seeds 1..S in lockstep (one launch per epoch
 *                                                 on a GPU): config,seed,best,final per run on stdout
 * multirun [--config F] [--runs R] [--steps S] [--compare false]
 *                                                 R runs in one GPU launch = the same runs one at a time =
 *                                                 the CPU kernel, bit for bit (without the comparison: the
 *                                                 launch's speed alone)
 * </pre>
 * Common options: {@code --data DIR} (MNIST; default {@code mnist} beside the working directory).
 */
public final class Portable {

    /** The project's parity bar (the parity tests): every parameter within this of TensorFlow's... */
    static final double PARAMETER_TOLERANCE = 1e-5;
    /** ...and every loss within this, relative (from a start whose name says "saturating": 1e-5, see the parity test). */
    static final double LOSS_TOLERANCE = 1e-6;
    static final double SATURATING_LOSS_TOLERANCE = 1e-5;

    private final Map<String, String> options;
    private final PrintWriter out;
    private final PrintWriter err;

    private Portable(Map<String, String> options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = run(args, out, err);
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            code = 1;
        }
        out.flush();
        System.exit(code);
    }

    /** Runs one command; returns the exit code (0: done and, for checks, passed). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) throws IOException {
        if (args.length == 0) {
            err.println("usage: info | job | replay | parity | bench | multirun [--option value ...] (see the class doc)");
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("error: options come as --name value pairs; got '" + args[i] + "'");
                return 2;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Portable p = new Portable(options, out, err);
        return switch (args[0]) {
            case "info" -> p.info();
            case "job" -> p.job();
            case "replay" -> p.replay();
            case "parity" -> p.parity();
            case "bench" -> p.bench();
            case "multirun" -> p.multirun();
            case "study" -> p.study();
            default -> {
                err.println("error: unknown command '" + args[0] + "'");
                yield 2;
            }
        };
    }

    // ------------------------------------------------------------------ commands

    private int info() {
        GpuProbe.Result probe = GpuProbe.probe();
        if (probe.gpu().isEmpty()) {
            out.println("no GPU: " + probe.absence());
            return 1;
        }
        out.println("GPU: " + probe.gpu().get().describe());
        for (String engine : new String[]{null, "cuda", "dl4j", "kernel"}) {
            String asked = engine == null ? "(default)" : "--engine " + engine;
            try {
                EngineChoice c = EngineChoice.decide(engine, java.util.Optional.empty(), true, () -> probe);
                out.println("  -Pcuda " + asked + ": " + c.engine().cliName() + " engine, ND4J on the "
                        + (c.nd4jOnGpu() ? "GPU" : "CPU"));
            } catch (EngineChoice.Refused r) {
                out.println("  -Pcuda " + asked + ": refused (" + r.reason() + ")");
            }
        }
        return 0;
    }

    private int job() throws IOException {
        long start = System.nanoTime();
        ExperimentConfig config = config();
        MnistData mnist = MnistData.load(dataDir());
        double dataSeconds = seconds(start);
        long t = System.nanoTime();
        try (TrainingEngine engine = engine(config, ImageSets.of(mnist, config.data().validationSize()),
                TfInitializer.initial(config))) {
            double setupSeconds = seconds(t);
            TfBatcher batcher = TfBatcher.forTraining(config);
            long loop = System.nanoTime();
            Trainer.Outcome outcome = new Trainer(config.training(), engine, batcher, List.of(new ScriptLines(out)), 0)
                    .run(TrainingState.initial(batcher.state()));
            double loopSeconds = seconds(loop);
            err.printf(Locale.ROOT, "timing: %s engine, seed %d, %d epochs x %d steps: data %.2f s, engine set-up "
                            + "%.2f s, training and evaluation %.3f s (%.0f steps/s)%s; best %d%n",
                    engine.kind().cliName(), config.seed(), config.training().epochs(),
                    config.training().stepsPerEpoch(), dataSeconds, setupSeconds, loopSeconds,
                    config.training().totalSteps() / loopSeconds, gpuPart(engine), outcome.state().best());
        }
        return 0;
    }

    private int replay() throws IOException {
        ExperimentConfig config = config();
        MnistData mnist = MnistData.load(dataDir());
        List<LayerParameters> initial = NpyParameters.read(path("init"), config.network());
        BatchIndices batches = BatchIndices.read(path("batches"), config.training().batchSize(),
                mnist.trainImageCount());
        Replay.Result result;
        try (TrainingEngine engine = engine(config, ImageSets.trainingOnly(mnist.train()), initial)) {
            result = Replay.run(engine, batches);
        }
        Replay.write(path("out"), result);
        out.printf(Locale.ROOT, "replayed %d steps with the %s engine%n", batches.steps(), result.engine().cliName());
        return 0;
    }

    /**
     * Every directory of {@code --recordings} holds a TensorFlow run: {@code config.yaml}, {@code init/} (its
     * start), {@code B.npy} (its batches) and {@code tf/} (its parameters after the last step and
     * {@code loss.csv}). Each is replayed with the engine and compared; the table says by how much they differ.
     */
    private int parity() throws IOException {
        MnistData mnist = MnistData.load(dataDir());
        List<Path> scenarios;
        try (var dirs = Files.list(path("recordings"))) {
            scenarios = dirs.filter(Files::isDirectory).sorted().toList();
        }
        out.printf(Locale.ROOT, "%-34s %-7s %6s %12s %14s  %s%n", "scenario", "engine", "steps", "max |dp|",
                "max loss rel.", "within the bar");
        boolean all = true;
        for (Path s : scenarios) {
            ExperimentConfig config = ConfigLoader.load(s.resolve("config.yaml"));
            List<LayerParameters> initial = NpyParameters.read(s.resolve("init"), config.network());
            BatchIndices batches = BatchIndices.read(s.resolve("B.npy"), config.training().batchSize(),
                    mnist.trainImageCount());
            Replay.Result ours;
            try (TrainingEngine engine = engine(config, ImageSets.trainingOnly(mnist.train()), initial)) {
                ours = Replay.run(engine, batches);
            }
            List<LayerParameters> tf = NpyParameters.read(s.resolve("tf"), config.network());
            double worst = 0;
            for (int l = 0; l < tf.size(); l++) {
                worst = Math.max(worst, maxDifference(ours.parameters().get(l).weights(), tf.get(l).weights()));
                worst = Math.max(worst, maxDifference(ours.parameters().get(l).biases(), tf.get(l).biases()));
            }
            float[] tfLosses = readLosses(s.resolve("tf").resolve(Replay.LOSS_FILE));
            double worstLoss = 0;
            float[] losses = ours.losses();
            for (int k = 0; k < losses.length; k++) {
                double rel = Math.abs((double) losses[k] - tfLosses[k]) / Math.abs(tfLosses[k]);
                worstLoss = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : Math.max(worstLoss, rel);
            }
            double lossBar = s.getFileName().toString().contains("saturating") ? SATURATING_LOSS_TOLERANCE
                    : LOSS_TOLERANCE;
            boolean pass = worst <= PARAMETER_TOLERANCE && worstLoss <= lossBar;
            all &= pass;
            out.printf(Locale.ROOT, "%-34s %-7s %6d %12.3g %14.3g  %s%n", s.getFileName(), ours.engine().cliName(),
                    batches.steps(), worst, worstLoss, pass ? "yes" : "NO");
        }
        return all ? 0 : 1;
    }

    private int bench() throws IOException {
        ExperimentConfig config = config();
        MnistData mnist = MnistData.load(dataDir());
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "0.5"));
        try (TrainingEngine engine = engine(config, ImageSets.of(mnist, config.data().validationSize()),
                TfInitializer.initial(config))) {
            TfBatcher batcher = TfBatcher.forTraining(config);
            int chunk = Math.min(engine.preferredStepsPerCall(), config.training().stepsPerEpoch());
            int[] batches = new int[chunk * config.training().batchSize()];
            float[] losses = new float[chunk];
            batcher.next(batches, chunk);
            engine.train(batches, chunk, losses);         // warm-up: JIT, caches
            double[] rates = new double[9];
            for (int w = 0; w < rates.length; w++) {
                long start = System.nanoTime();
                long steps = 0;
                do {
                    batcher.next(batches, chunk);
                    engine.train(batches, chunk, losses);
                    steps += chunk;
                } while (System.nanoTime() - start < seconds * 1e9);
                rates[w] = steps / seconds(start);
            }
            double[] evals = new double[9];
            for (int r = 0; r < evals.length; r++) {
                long start = System.nanoTime();
                engine.correctOnTest();
                evals[r] = seconds(start) * 1e3;
            }
            Stats s = Stats.of(rates);
            out.printf(Locale.ROOT, "%s engine: %.0f steps/s median of %d windows (%.0f-%.0f), %d steps per call; "
                            + "test-set evaluation %.2f ms median%n", engine.kind().cliName(), s.median(), s.n(),
                    s.min(), s.max(), chunk, Stats.of(evals).median());
        }
        return 0;
    }

    /**
     * R runs (seeds 1..R) trained in one launch must equal the same runs trained one launch at a time, and the
     * CPU kernel, bit for bit: parameters and every loss.
     */
    private int multirun() throws IOException {
        ExperimentConfig base = config();
        int runs = Integer.parseInt(options.getOrDefault("runs", "8"));
        int steps = Integer.parseInt(options.getOrDefault("steps", "2000"));
        MnistData mnist = MnistData.load(dataDir());
        ImageSets images = ImageSets.of(mnist, base.data().validationSize());
        int batch = base.training().batchSize();
        List<List<LayerParameters>> initial = new ArrayList<>();
        int[] all = new int[runs * steps * batch];
        for (int r = 0; r < runs; r++) {
            ExperimentConfig c = base.withSeed(r + 1);
            initial.add(TfInitializer.initial(c));
            int[] mine = new int[steps * batch];
            TfBatcher.forTraining(c).next(mine, steps);
            System.arraycopy(mine, 0, all, r * steps * batch, mine.length);
        }
        float[] together = new float[runs * steps];
        List<List<LayerParameters>> togetherParams;
        long t0 = System.nanoTime();
        try (CudaRuns gpu = new CudaRuns(base, images, initial)) {
            long t = System.nanoTime();
            gpu.train(all, steps, together);
            err.printf(Locale.ROOT, "timing: %d runs x %d steps in one launch: %.3f s (%.0f run-steps/s)%n", runs,
                    steps, seconds(t), (double) runs * steps / seconds(t));
            togetherParams = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                togetherParams.add(gpu.parameters(r));
            }
        }
        boolean equal = true;
        int compared = Boolean.parseBoolean(options.getOrDefault("compare", "true")) ? runs : 0;
        for (int r = 0; r < compared; r++) {
            int[] mine = java.util.Arrays.copyOfRange(all, r * steps * batch, (r + 1) * steps * batch);
            ExperimentConfig c = base.withSeed(r + 1);
            float[] alone = new float[steps];
            List<LayerParameters> aloneParams;
            try (CudaEngine single = new CudaEngine(c, images, initial.get(r))) {
                single.train(mine, steps, alone);
                aloneParams = single.parameters();
            }
            float[] cpu = new float[steps];
            List<LayerParameters> cpuParams;
            try (KernelEngine kernel = new KernelEngine(c, images, initial.get(r))) {
                kernel.train(mine, steps, cpu);
                cpuParams = kernel.parameters();
            }
            boolean sameAsAlone = bitwise(java.util.Arrays.copyOfRange(together, r * steps, (r + 1) * steps), alone)
                    && bitwise(togetherParams.get(r), aloneParams);
            boolean sameAsCpu = bitwise(alone, cpu) && bitwise(aloneParams, cpuParams);
            out.printf(Locale.ROOT, "run %d (seed %d): in one launch = alone: %s; GPU = CPU kernel: %s%n", r, r + 1,
                    sameAsAlone ? "bit for bit" : "DIFFERS", sameAsCpu ? "bit for bit" : "DIFFERS (max |dp| "
                            + String.format(Locale.ROOT, "%.3g", maxDifference(aloneParams, cpuParams)) + ")");
            equal &= sameAsAlone;
        }
        err.printf(Locale.ROOT, "timing: multirun check %.1f s in all%n", seconds(t0));
        return equal ? 0 : 1;
    }

    /** The ablation's runs without its files: what the GPU check times and compares with the CPU study. */
    private int study() throws IOException {
        MnistData mnist = MnistData.load(dataDir());
        int seeds = Integer.parseInt(options.getOrDefault("seeds", "100"));
        EngineKind kind = EngineKind.byName(options.getOrDefault("engine", "cuda")).orElseThrow();
        out.println("config,seed,best_correct,final_correct");
        long all = System.nanoTime();
        for (String name : options.getOrDefault("configs", "tf14-cross-entropy,tf12-quadratic,"
                + "tf15-cross-entropy-scaled-init,tf15-quadratic-scaled-init").split(",")) {
            Map<String, String> one = new HashMap<>(options);
            one.put("config", "config/" + name + ".yaml");
            ExperimentConfig base = new Portable(one, out, err).config();
            List<ExperimentConfig> runs = new ArrayList<>();
            for (long s = 1; s <= seeds; s++) {
                runs.add(base.withSeed(s));
            }
            long t = System.nanoTime();
            List<RunGroup.Outcome> outcomes = RunGroup.trainInMemory(kind, runs, mnist,
                    Runtime.getRuntime().availableProcessors());
            err.printf(Locale.ROOT, "timing: %s, %d runs of %d x %d steps in lockstep on the %s engine: %.2f s%n",
                    name, seeds, base.training().epochs(), base.training().stepsPerEpoch(), kind.cliName(),
                    seconds(t));
            for (int r = 0; r < seeds; r++) {
                RunGroup.Outcome o = outcomes.get(r);
                out.printf(Locale.ROOT, "%s,%d,%d,%d%n", name, r + 1, o.best(),
                        o.history().get(o.history().size() - 1).testCorrect());
            }
        }
        err.printf(Locale.ROOT, "timing: the whole study %.2f s%n", seconds(all));
        return 0;
    }

    // ------------------------------------------------------------------ helpers

    private ExperimentConfig config() {
        ExperimentConfig c = ConfigLoader.load(Path.of(options.getOrDefault("config",
                "config/tf14-cross-entropy.yaml")));
        Long seed = options.containsKey("seed") ? Long.parseLong(options.get("seed")) : 1L;
        Integer epochs = options.containsKey("epochs") ? Integer.parseInt(options.get("epochs")) : null;
        Integer steps = options.containsKey("steps-per-epoch") ? Integer.parseInt(options.get("steps-per-epoch")) : null;
        return new ConfigOverrides(seed, epochs, steps, null, null).applyTo(c);
    }

    private Path dataDir() {
        return Path.of(options.getOrDefault("data", "mnist"));
    }

    private Path path(String option) {
        String v = options.get(option);
        if (v == null) {
            throw new IllegalArgumentException("--" + option + " is required");
        }
        return Path.of(v);
    }

    private TrainingEngine engine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        EngineKind kind = EngineKind.byName(options.getOrDefault("engine", "cuda")).orElseThrow(
                () -> new IllegalArgumentException("--engine must be cuda or kernel"));
        return switch (kind) {
            case CUDA -> new CudaEngine(config, images, initial);
            case KERNEL -> new KernelEngine(config, images, initial);
            case DL4J -> throw new IllegalArgumentException("the dl4j engine needs DL4J, which this bundle leaves out");
        };
    }

    private static String gpuPart(TrainingEngine engine) {
        if (engine instanceof CudaEngine c) {
            GpuInfo gpu = c.device();
            return String.format(Locale.ROOT, ", in GPU launches %.3f s, on %s", c.gpuSeconds(), gpu.describe());
        }
        return "";
    }

    private static float[] readLosses(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        float[] out = new float[lines.size() - 1];
        for (int k = 1; k < lines.size(); k++) {
            out[k - 1] = Float.parseFloat(lines.get(k).split(",")[1]);
        }
        return out;
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }

    private static double maxDifference(List<LayerParameters> a, List<LayerParameters> b) {
        double worst = 0;
        for (int l = 0; l < a.size(); l++) {
            worst = Math.max(worst, maxDifference(a.get(l).weights(), b.get(l).weights()));
            worst = Math.max(worst, maxDifference(a.get(l).biases(), b.get(l).biases()));
        }
        return worst;
    }

    private static boolean bitwise(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean bitwise(List<LayerParameters> a, List<LayerParameters> b) {
        for (int l = 0; l < a.size(); l++) {
            if (!bitwise(a.get(l).weights(), b.get(l).weights()) || !bitwise(a.get(l).biases(), b.get(l).biases())) {
                return false;
            }
        }
        return true;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
