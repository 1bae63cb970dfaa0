package mnistxent.run;

import mnistxent.OneLine;
import mnistxent.UserError;
import mnistxent.config.ConfigWriter;
import mnistxent.config.ExperimentConfig;
import mnistxent.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run's directory, {@code <output.dir>/<name>-<yyyyMMdd-HHmmss>/}:
 * {@code config.yaml} (the effective config, seed included), {@code metrics.csv},
 * {@code checkpoint.zip}, {@code model-best.zip}, {@code model-final.zip}, {@code train.log}, and
 * {@code .lock}: the run that writes a directory holds it ({@link RunLock}), from before its first file
 * until {@link #release()}.
 */
public record RunDirectory(Path path) {

    public static final String CONFIG = "config.yaml";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINT = "checkpoint.zip";
    public static final String MODEL_BEST = "model-best.zip";
    public static final String MODEL_FINAL = "model-final.zip";
    public static final String LOG = "train.log";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * Creates a new run directory for {@code config} under its output dir, holds it for this process and
     * writes the effective config into it. Two runs started in the same second get {@code -2}, {@code -3}...
     * suffixes.
     */
    public static RunDirectory create(ExperimentConfig config, LocalDateTime now) {
        Path parent = config.output().dir();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UserError("cannot create the output directory " + parent + " (" + OneLine.reason(e)
                    + "); set output.dir in the config to a writable directory");
        }
        if (!Files.isWritable(parent)) {
            throw new UserError("the output directory " + parent
                    + " is not writable; set output.dir in the config to a writable directory");
        }
        String base = config.name() + "-" + STAMP.format(now);
        for (int attempt = 1; ; attempt++) {
            Path dir = parent.resolve(attempt == 1 ? base : base + "-" + attempt);
            try {
                Files.createDirectory(dir);
                RunLock.acquire(dir);
                RunDirectory run = new RunDirectory(dir);
                run.writeConfig(config);
                return run;
            } catch (FileAlreadyExistsException e) {
                // another run took this name in the same second: try the next suffix
            } catch (IOException e) {
                RunLock.release(dir);
                throw new UserError("cannot create the run directory " + dir + ": " + OneLine.reason(e));
            }
        }
    }

    /**
     * Creates the run directory at a chosen path (its parents too) and writes the effective config
     * into it: for callers that name runs themselves, e.g. the ablation's {@code <config>/seed-<n>/},
     * which must be the same path on every invocation to be resumable. The directory must be absent
     * or empty, so that no file of an earlier run can pass for one of this run. It is held for this process.
     */
    public static RunDirectory createAt(Path dir, ExperimentConfig config) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the run directory " + dir + " (" + OneLine.reason(e) + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("the run directory " + dir + " is not writable");
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new UserError("the run directory " + dir + " is not empty; remove it to run again");
            }
        } catch (IOException e) {
            throw new UserError("cannot read the run directory " + dir + ": " + OneLine.reason(e));
        }
        RunLock.acquire(dir);
        RunDirectory run = new RunDirectory(dir);
        try {
            run.writeConfig(config);
        } catch (IOException e) {
            run.release();
            throw new UserError("cannot write " + run.config() + ": " + OneLine.reason(e));
        }
        return run;
    }

    /** Opens an existing run directory to read it. */
    public static RunDirectory existing(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no run directory at " + dir);
        }
        return new RunDirectory(dir);
    }

    /**
     * Opens an existing run directory to continue writing it (resuming in place), held for this process.
     *
     * @throws RunLock.Busy when another process (or another run of this one) holds it
     */
    public static RunDirectory own(Path dir) {
        RunDirectory run = existing(dir);
        RunLock.acquire(dir);
        return run;
    }

    /** Lets other processes have the directory again (nothing when this process does not hold it). */
    public void release() {
        RunLock.release(path);
    }

    public void writeConfig(ExperimentConfig config) throws IOException {
        String header = "Effective config of this run (seed included): train with this file to repeat the run.";
        AtomicFiles.writeString(path.resolve(CONFIG), ConfigWriter.toYaml(config, header));
    }

    public Path config() {
        return path.resolve(CONFIG);
    }

    public Path metrics() {
        return path.resolve(METRICS);
    }

    public Path checkpoint() {
        return path.resolve(CHECKPOINT);
    }

    public Path modelBest() {
        return path.resolve(MODEL_BEST);
    }

    public Path modelFinal() {
        return path.resolve(MODEL_FINAL);
    }

    public Path log() {
        return path.resolve(LOG);
    }
}
