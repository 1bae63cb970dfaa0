package mnistxent.train;

import mnistxent.config.TrainingSpec;
import mnistxent.model.LayerParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Locale;
import java.util.List;

/**
 * Shows where a run is. On a terminal: a progress bar on stderr, redrawn ~10 times a second
 * (epoch, steps, steps/s, ETA, running mean loss of the epoch). Off a terminal (CI, redirected
 * output): a plain log line every few seconds instead, so logs stay readable.
 */
public final class ProgressReporter implements TrainingListener {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
    private static final int CHECK_EVERY_STEPS = 64;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long PLAIN_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final TrainingSpec spec;
    private final boolean terminal;
    private final PrintStream err;

    private long runSteps;
    private double epochLossSum;
    private int epochLossCount;
    private long lastReportNanos;
    private long lastReportSteps;
    private double stepsPerSecond;
    private boolean barVisible;
    /**
     * From an epoch's last step until its end has been logged: no bar is drawn meanwhile, since the epoch's
     * lines may come while the next epoch trains (they are written on the thread that ends the epochs:
     * {@link TrainingListener}).
     */
    private volatile boolean epochEndPending;

    public ProgressReporter(TrainingSpec spec, boolean terminal, PrintStream err) {
        this.spec = spec;
        this.terminal = terminal;
        this.err = err;
    }

    /** A terminal is attached when the JVM has a console (not when output is piped or in CI). */
    public static boolean onTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void onStart(TrainingState state) {
        runSteps = state.stepsDone();
        epochLossSum = state.epochLossSum();
        epochLossCount = state.stepInEpoch();
        lastReportNanos = System.nanoTime();
        lastReportSteps = runSteps;
    }

    @Override
    public void onStep(int epoch, int stepInEpoch, float loss) {
        runSteps++;
        epochLossSum += loss;
        epochLossCount++;
        if (stepInEpoch == spec.stepsPerEpoch()) {
            clearBar();      // the epoch's evaluation and its lines come next
            epochEndPending = true;
            epochLossSum = 0;
            epochLossCount = 0;
            return;
        }
        if ((runSteps & (CHECK_EVERY_STEPS - 1)) != 0 || epochEndPending) {
            return;
        }
        long now = System.nanoTime();
        long elapsed = now - lastReportNanos;
        if (elapsed < (terminal ? REDRAW_NANOS : PLAIN_NANOS)) {
            return;
        }
        double rate = (runSteps - lastReportSteps) / (elapsed / 1e9);
        stepsPerSecond = stepsPerSecond == 0 ? rate : 0.7 * stepsPerSecond + 0.3 * rate;
        lastReportNanos = now;
        lastReportSteps = runSteps;
        String status = status(epoch, stepInEpoch);
        if (terminal) {
            err.print("\r" + bar(stepInEpoch) + " " + status + "   ");
            err.flush();
            barVisible = true;
        } else {
            log.info(status);
        }
    }

    /** The epoch's numbers, one log line (stderr and train.log). */
    @Override
    public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                           List<LayerParameters> parameters) {
        log.info("epoch {}: train loss {}, test {} / {}, validation {}, {} s", result.epoch(),
                String.format(Locale.ROOT, "%.6f", result.meanTrainLoss()), result.testCorrect(), result.testCount(),
                Double.isNaN(result.validationAccuracy()) ? "-"
                        : String.format(Locale.ROOT, "%.2f%%", 100 * result.validationAccuracy()),
                String.format(Locale.ROOT, "%.2f", result.seconds()));
        epochEndPending = false;
    }

    @Override
    public void onFinish(TrainingState state, boolean stopped) {
        clearBar();
    }

    /** The progress line: epochs counted from 0, as the seed's "Epoch N" lines and the epoch log lines count them. */
    String status(int epoch, int stepInEpoch) {
        long remaining = spec.totalSteps() - runSteps;
        long eta = stepsPerSecond > 0 ? Math.round(remaining / stepsPerSecond) : 0;
        return String.format(Locale.ROOT, "epoch %d (%d of %d)  %d/%d steps  %,.0f steps/s  ETA %d:%02d  loss %.5f",
                epoch, epoch + 1, spec.epochs(), stepInEpoch, spec.stepsPerEpoch(), stepsPerSecond, eta / 60, eta % 60,
                epochLossCount == 0 ? Double.NaN : epochLossSum / epochLossCount);
    }

    private String bar(int stepInEpoch) {
        int filled = (int) ((long) stepInEpoch * BAR_WIDTH / spec.stepsPerEpoch());
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    private void clearBar() {
        if (barVisible) {
            err.print("\r" + " ".repeat(120) + "\r");
            err.flush();
            barVisible = false;
        }
    }
}
