package mnistxent.ablation;

import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.run.EpochResult;
import mnistxent.run.MetricsFile;
import mnistxent.run.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a planned run stands on disk, so that a rerun of the ablation trains only what is missing.
 *
 * <p>A run is <b>finished</b> when its directory holds (1) a {@code config.yaml} describing the same
 * experiment (name, seed, network, init, loss, updater, training, validation size: where the
 * output and the data live does not change the result), (2) a {@code model-final.zip} -- written
 * last, atomically, after the final epoch -- and (3) a {@code metrics.csv} with exactly one row per
 * planned epoch, epochs 0..E-1 with their step counts. A run killed at any point misses (2) or (3);
 * a run of an edited config fails (1). Anything else in the directory is <b>unfinished</b> and is
 * trained again from scratch; an absent or empty directory is <b>absent</b>.
 *
 * @param history the finished run's metrics, one per epoch; empty otherwise
 */
public record RunStatus(State state, String detail, List<EpochResult> history) {

    public enum State { ABSENT, UNFINISHED, FINISHED }

    public RunStatus {
        history = List.copyOf(history);
    }

    public boolean finished() {
        return state == State.FINISHED;
    }

    /** Looks at the run's directory. Never throws for what it finds there: that is the status. */
    public static RunStatus of(PlannedRun run) {
        Path dir = run.directory();
        if (!Files.exists(dir)) {
            return absent("no directory");
        }
        if (!Files.isDirectory(dir)) {
            return unfinished("a file is in the way of the run directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return absent("empty directory");
            }
        } catch (IOException e) {
            return unfinished("unreadable directory: " + e.getMessage());
        }
        RunDirectory files = new RunDirectory(dir);
        if (!Files.isRegularFile(files.config())) {
            return unfinished("no " + RunDirectory.CONFIG);
        }
        ExperimentConfig saved;
        try {
            saved = ConfigLoader.load(files.config());
        } catch (UserError e) {
            return unfinished(RunDirectory.CONFIG + " does not load: " + e.getMessage());
        }
        String difference = difference(saved, run.config());
        if (difference != null) {
            return unfinished(RunDirectory.CONFIG + " is of another experiment (" + difference + " differs)");
        }
        if (!isNonEmptyFile(files.modelFinal())) {
            return unfinished("no " + RunDirectory.MODEL_FINAL);
        }
        if (!Files.isRegularFile(files.metrics())) {
            return unfinished("no " + RunDirectory.METRICS);
        }
        List<EpochResult> history;
        try {
            history = MetricsFile.read(files.metrics());
        } catch (IOException e) {
            return unfinished(RunDirectory.METRICS + " does not read: " + e.getMessage());
        }
        String gap = incomplete(history, run.config());
        if (gap != null) {
            return unfinished(gap);
        }
        return new RunStatus(State.FINISHED, history.size() + " epochs", history);
    }

    /** The first part of the experiment that differs, or null when the two are the same experiment. */
    static String difference(ExperimentConfig a, ExperimentConfig b) {
        if (!a.name().equals(b.name())) {
            return "name";
        }
        if (!java.util.Objects.equals(a.seed(), b.seed())) {
            return "seed";
        }
        if (!a.network().equals(b.network())) {
            return "network";
        }
        if (!a.init().equals(b.init())) {
            return "init";
        }
        if (a.loss() != b.loss()) {
            return "loss";
        }
        if (!a.updater().equals(b.updater())) {
            return "updater";
        }
        if (!a.training().equals(b.training())) {
            return "training";
        }
        if (a.data().validationSize() != b.data().validationSize()) {
            return "data.validation-size";
        }
        return null;
    }

    /** Why the metrics are not those of the whole planned run, or null when they are. */
    static String incomplete(List<EpochResult> history, ExperimentConfig config) {
        int epochs = config.training().epochs();
        if (history.size() != epochs) {
            return RunDirectory.METRICS + " has " + history.size() + " of " + epochs + " epochs";
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            EpochResult r = history.get(i);
            long steps = (long) (i + 1) * config.training().stepsPerEpoch();
            if (r.epoch() != i || r.steps() != steps || r.testCount() <= 0 || r.testCorrect() < 0
                    || r.testCorrect() > r.testCount()) {
                problems.add("row " + (i + 1));
            }
        }
        return problems.isEmpty() ? null : RunDirectory.METRICS + " has inconsistent rows: " + String.join(", ", problems);
    }

    private static boolean isNonEmptyFile(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static RunStatus absent(String detail) {
        return new RunStatus(State.ABSENT, detail, List.of());
    }

    private static RunStatus unfinished(String detail) {
        return new RunStatus(State.UNFINISHED, detail, List.of());
    }
}
