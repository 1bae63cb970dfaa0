package mnistxent.train;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.TfBatcher;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.MultiRunEngine;
import mnistxent.io.AtomicFiles;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import mnistxent.model.TfInitializer;
import mnistxent.run.EpochResult;
import mnistxent.run.MetricsFile;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.run.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several runs of one config, differing only in their seed, trained in lockstep on a
 * {@link MultiRunEngine}: one engine call per epoch for all of them (one GPU launch), each run with its
 * own initial parameters and batches drawn from its own seed exactly as a single run draws them (SPEC §2,
 * §3), and the seed script's loop and best rule ({@link Trainer}'s). So each run's numbers equal those of
 * the same run trained alone, and its directory holds what the ablation reads: {@code config.yaml},
 * {@code metrics.csv}, {@code stdout.txt} (the seed's lines) and {@code model-final.zip}, written when the
 * group ends (a group is redone whole if it is interrupted). There are no per-epoch checkpoints: a study
 * wants many runs, not the resumption of one.
 *
 * <p>Memory per run: on the host its batcher's permutation (4 bytes per training image: 220 KB for MNIST),
 * an epoch of batch indices and losses (220 KB at 5,000 steps of 10) and its history; on a GPU its
 * parameters (104 KB for the seed's network) and the same epoch of indices and losses. A thousand runs
 * take ~450 MB of heap and ~330 MB of device memory.
 */
public final class RunGroup {

    private static final Logger log = LoggerFactory.getLogger(RunGroup.class);

    /** The file a run's seed lines go to (what {@code train} would have printed). */
    public static final String STDOUT_FILE = "stdout.txt";

    /** One run of the group: its config (seed set) and its directory. */
    public record Member(ExperimentConfig config, Path directory) {
    }

    private RunGroup() {
    }

    /** What a run of the group ended with. */
    public record Outcome(List<EpochResult> history, int best, List<LayerParameters> parameters,
                          TfBatcher.State batcher, long steps) {
    }

    /**
     * Trains every member to the end with an engine of {@code kind} ({@code threads} CPU threads where the
     * engine runs on the CPU) and writes their directories.
     *
     * @throws IllegalArgumentException when the members' configs differ in anything but the seed
     */
    public static void train(EngineKind kind, List<Member> members, MnistData data, int threads) {
        List<RunDirectory> dirs = new ArrayList<>();
        for (Member m : members) {
            dirs.add(RunDirectory.createAt(m.directory(), m.config()));
        }
        List<Outcome> outcomes = trainInMemory(kind, members.stream().map(Member::config).toList(), data, threads);
        for (int r = 0; r < members.size(); r++) {
            finish(members.get(r).config(), dirs.get(r), outcomes.get(r), kind);
        }
    }

    /**
     * Trains runs of {@code configs} (the same config but for the seed) in lockstep and returns how each
     * ended, writing nothing: the loop itself, also where there is no DL4J to save models with.
     */
    public static List<Outcome> trainInMemory(EngineKind kind, List<ExperimentConfig> configs, MnistData data,
                                              int threads) {
        ExperimentConfig first = configs.get(0);
        for (ExperimentConfig c : configs) {
            if (!c.withSeed(0).equals(first.withSeed(0))) {
                throw new IllegalArgumentException("a group's runs differ only in their seed: " + c.name());
            }
        }
        int runs = configs.size();
        int batch = first.training().batchSize();
        int steps = first.training().stepsPerEpoch();
        List<List<LayerParameters>> initial = new ArrayList<>();
        List<TfBatcher> batchers = new ArrayList<>();
        for (ExperimentConfig c : configs) {
            initial.add(TfInitializer.initial(c));
            batchers.add(TfBatcher.forTraining(c));
        }
        List<List<EpochResult>> histories = new ArrayList<>();
        int[] best = new int[runs];
        for (int r = 0; r < runs; r++) {
            histories.add(new ArrayList<>());
            best[r] = -1;
        }
        long stepsDone = 0;
        try (MultiRunEngine engine = Engines.createRuns(kind, first,
                ImageSets.of(data, first.data().validationSize()), initial, threads)) {
            int[] batches = new int[runs * steps * batch];
            float[] losses = new float[runs * steps];
            int[] slice = new int[steps * batch];
            for (int epoch = 0; epoch < first.training().epochs(); epoch++) {
                long start = System.nanoTime();
                for (int r = 0; r < runs; r++) {
                    batchers.get(r).next(slice, steps);
                    System.arraycopy(slice, 0, batches, r * steps * batch, slice.length);
                }
                engine.train(batches, steps, losses);
                stepsDone += steps;
                int[] correct = engine.correctOnTest();
                int[] validation = engine.validationCount() == 0 ? null : engine.correctOnValidation();
                double seconds = (System.nanoTime() - start) / 1e9;
                for (int r = 0; r < runs; r++) {
                    double lossSum = 0;     // in step order, as the single-run loop adds them
                    for (int k = 0; k < steps; k++) {
                        lossSum += losses[r * steps + k];
                    }
                    EpochResult result = new EpochResult(epoch, stepsDone, lossSum / steps, correct[r],
                            engine.testCount(), validation == null ? Double.NaN
                            : validation[r] / (double) engine.validationCount(), seconds);
                    histories.get(r).add(result);
                    if (EpochResult.isNewBest(best[r], correct[r])) {
                        best[r] = correct[r];
                    }
                }
                log.info("{}: {} runs at once, epoch {} in {} s", first.name(), runs, epoch,
                        String.format("%.2f", seconds));
            }
            List<Outcome> out = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                out.add(new Outcome(List.copyOf(histories.get(r)), best[r], engine.parameters(r),
                        batchers.get(r).state(), stepsDone));
            }
            return out;
        }
    }

    /** A finished run's files, metrics first and the model last (the ablation's sign that a run is whole). */
    private static void finish(ExperimentConfig config, RunDirectory dir, Outcome run, EngineKind kind) {
        List<EpochResult> history = run.history();
        try {
            MetricsFile.write(dir.metrics(), history);
            AtomicFiles.writeString(dir.path().resolve(STDOUT_FILE), scriptLines(history, run.best()));
        } catch (IOException e) {
            throw new mnistxent.UserError("cannot write into " + dir.path() + " (" + e.getMessage() + ")");
        }
        TrainingState state = new TrainingState(history.size(), 0, run.steps(), 0.0, 0.0, run.best(), history,
                run.batcher());
        ModelFile.save(dir.modelFinal(), NetworkFactory.configuration(config).toJson(), run.parameters(), config,
                state, history.get(history.size() - 1).testCorrect(), kind);
    }

    /** What {@code train} would have printed for this history: the seed script's lines. */
    public static String scriptLines(List<EpochResult> history, int best) {
        StringBuilder lines = new StringBuilder();
        for (EpochResult r : history) {
            lines.append(r.scriptLine()).append('\n');
        }
        return lines.append("best: ").append(best).append(" / ").append(history.get(history.size() - 1).testCount())
                .append('\n').toString();
    }
}
