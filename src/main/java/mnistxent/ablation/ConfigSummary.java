package mnistxent.ablation;

import mnistxent.config.DistributionSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.report.Proportion;
import mnistxent.report.Stats;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * One config's row of the ablation table: its runs' numbers over the seeds.
 *
 * @param runs the config's runs, one per seed, all of the same length
 */
public record ConfigSummary(ExperimentConfig config, List<RunSummary> runs) {

    /** Accuracy the series quotes as a milestone (SPEC §6: "94% first reached at epoch 7"). */
    public static final int MILESTONE_PERCENT = 94;
    /** Epochs, counted from 1, whose mean training loss the table shows (the 1st, 10th and 30th). */
    public static final List<Integer> LOSS_EPOCHS = List.of(1, 10, 30);

    public ConfigSummary {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(config.name() + ": no runs");
        }
        int epochs = runs.get(0).epochs();
        for (RunSummary r : runs) {
            if (!r.config().equals(config.name())) {
                throw new IllegalArgumentException("run of " + r.config() + " among those of " + config.name());
            }
            if (r.epochs() != epochs) {
                throw new IllegalArgumentException(config.name() + ": runs of " + epochs + " and " + r.epochs()
                        + " epochs");
            }
        }
    }

    public String name() {
        return config.name();
    }

    public int seeds() {
        return runs.size();
    }

    public int epochs() {
        return runs.get(0).epochs();
    }

    /** Best test accuracy (a fraction) over the seeds. */
    public Stats bestAccuracy() {
        return Stats.of(runs.stream().mapToDouble(r -> r.bestCorrect() / (double) r.testCount()).toArray());
    }

    /** Best test count over the seeds (for min-max, as TF's reference runs are quoted). */
    public Stats bestCorrect() {
        return Stats.of(runs.stream().mapToDouble(RunSummary::bestCorrect).toArray());
    }

    /** Test accuracy after the last epoch (a fraction) over the seeds. */
    public Stats finalAccuracy() {
        return Stats.of(runs.stream().mapToDouble(r -> r.finalCorrect() / (double) r.testCount()).toArray());
    }

    /** The first epoch at {@link #MILESTONE_PERCENT}% over the seeds that reach it; see {@link #neverReached}. */
    public Stats firstMilestoneEpoch() {
        return Stats.of(runs.stream().map(r -> r.firstEpochReaching(MILESTONE_PERCENT))
                .filter(OptionalInt::isPresent).mapToDouble(OptionalInt::getAsInt).toArray());
    }

    /** Seeds that never reach {@link #MILESTONE_PERCENT}%. */
    public int neverReached() {
        return (int) runs.stream().filter(r -> r.firstEpochReaching(MILESTONE_PERCENT).isEmpty()).count();
    }

    /** Mean training loss of the {@code ordinal}-th epoch (from 1) over the seeds; empty Stats past the end. */
    public Stats lossOfEpoch(int ordinal) {
        return Stats.of(runs.stream().map(r -> r.meanLossOfEpoch(ordinal)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).toArray());
    }

    /** Wall time per run over the seeds. */
    public Stats seconds() {
        return Stats.of(runs.stream().mapToDouble(RunSummary::seconds).toArray());
    }

    /** Per epoch: the median, the first and the third quartile over the seeds of the accuracies or losses. */
    public double[][] perEpoch(boolean accuracy) {
        int epochs = epochs();
        double[][] out = new double[3][epochs];
        for (int e = 0; e < epochs; e++) {
            int epoch = e;
            double[] values = runs.stream().mapToDouble(r -> (accuracy ? r.accuracies() : r.losses())[epoch]).toArray();
            Stats s = Stats.of(values);
            out[0][e] = s.median();
            out[1][e] = s.q1();
            out[2][e] = s.q3();
        }
        return out;
    }

    /** The runs that stalled ({@link RunSummary#STALL_PERCENT}), of all seeds, with the 95% interval. */
    public Proportion stalled() {
        return new Proportion(stalledRuns().size(), runs.size());
    }

    /** The stalled runs, in seed order. */
    public List<RunSummary> stalledRuns() {
        return runs.stream().filter(RunSummary::stalled).toList();
    }

    /** The script's epoch numbers 0..E-1, for chart x values. */
    public double[] epochNumbers() {
        return IntStream.range(0, epochs()).mapToDouble(e -> runs.get(0).history().get(e).epoch()).toArray();
    }

    /** What the config varies, in a few words: "cross-entropy, W ~ N(0,1)/√n_in". */
    public String variant() {
        String cost = config.loss() == LossKind.QUADRATIC ? "quadratic" : "cross-entropy";
        String text = cost + ", W ~ " + describe(config.init().weights());
        if (!config.init().biases().equals(DistributionSpec.STANDARD_NORMAL)) {
            text += ", b ~ " + describe(config.init().biases());
        }
        if (config.updater().l2() > 0) {
            text += String.format(Locale.ROOT, ", L2 %s", compact(config.updater().l2()));
        }
        return text;
    }

    static String describe(DistributionSpec d) {
        return "N(" + compact(d.mean()) + "," + compact(d.std()) + ")" + (d.divideBySqrtFanIn() ? "/√n_in" : "");
    }

    private static String compact(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
