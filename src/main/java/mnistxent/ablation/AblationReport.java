package mnistxent.ablation;

import mnistxent.config.Activation;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.io.AtomicFiles;
import mnistxent.report.Charts;
import mnistxent.report.Csv;
import mnistxent.report.Figure;
import mnistxent.report.LegendPlacement;
import mnistxent.report.LineSeries;
import mnistxent.report.Panel;
import mnistxent.report.Stats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The ablation's outputs: {@code ablation.md} (per config: stalled runs with their 95% interval, best and
 * final accuracy as median, interquartile range and range, epochs to 94%, losses; the paired comparison of
 * the costs; the stalled seeds), {@code ablation-runs.csv} (every run), {@code ablation-configs.csv} and
 * {@code ablation-pairs.csv} (the tables' numbers), and three figures: test accuracy and training loss per
 * epoch (median, interquartile band, the stalled runs drawn thin on top; the loss a panel per cost, as the
 * two costs are different functions) and a histogram of each config's best accuracy. A config keeps its
 * colour in every figure; quadratic-cost configs are dashed.
 */
public final class AblationReport {

    public static final String MARKDOWN = "ablation.md";
    public static final String RUNS_CSV = "ablation-runs.csv";
    public static final String CONFIGS_CSV = "ablation-configs.csv";
    public static final String PAIRS_CSV = "ablation-pairs.csv";
    public static final String ACCURACY_PNG = "ablation-accuracy.png";
    public static final String LOSS_PNG = "ablation-loss.png";
    public static final String BEST_PNG = "ablation-best.png";

    private static final int ACCURACY_WIDTH = 1100;
    private static final int ACCURACY_PANEL_HEIGHT = 470;
    private static final int LOSS_PANEL_WIDTH = 620;
    private static final int LOSS_PANEL_HEIGHT = 520;
    private static final int BEST_PANEL_WIDTH = 560;
    private static final int BEST_PANEL_HEIGHT = 380;
    /** Width of a histogram bin, in percentage points of test accuracy. */
    static final double BIN_POINTS = 0.25;

    private AblationReport() {
    }

    /** Where a report's files go, and how it was made (for ablation.md's "regenerate with" line). */
    public record Context(Path out, String command, int parallel, String engine, String hardware) {
    }

    /** Writes the report's files into {@code context.out()}. */
    public static void write(List<ConfigSummary> configs, Context context) throws IOException {
        writeText(context.out().resolve(MARKDOWN), markdown(configs, context));
        writeRunsCsv(configs, context.out().resolve(RUNS_CSV));
        writeConfigsCsv(configs, context.out().resolve(CONFIGS_CSV));
        writePairsCsv(PairedComparison.find(configs), context.out().resolve(PAIRS_CSV));
        Charts.writePng(accuracyFigure(configs), context.out().resolve(ACCURACY_PNG));
        Charts.writePng(lossFigure(configs), context.out().resolve(LOSS_PNG));
        Charts.writePng(bestFigure(configs), context.out().resolve(BEST_PNG));
    }

    // ------------------------------------------------------------------ tables

    /** The per-config table alone (also printed by the command). */
    public static String table(List<ConfigSummary> configs) {
        List<String> header = new ArrayList<>(List.of("config", "cost, initial weights", "seeds",
                "stalled (best < " + RunSummary.STALL_PERCENT + "%)", "best test acc. (%)",
                "best of 10000 (min–max)", "final test acc. (%)",
                "first `Epoch N` ≥ " + ConfigSummary.MILESTONE_PERCENT + "%"));
        for (int e : ConfigSummary.LOSS_EPOCHS) {
            header.add("train loss, " + ordinal(e) + " epoch");
        }
        header.add("s per run");
        StringBuilder b = new StringBuilder();
        b.append(row(header));
        b.append(row(header.stream().map(h -> "---").toList()));
        for (ConfigSummary c : configs) {
            List<String> cells = new ArrayList<>(List.of("`" + c.name() + "`", c.variant(),
                    Integer.toString(c.seeds()), c.stalled().format(), c.bestAccuracy().formatMedian(100, 2),
                    c.bestCorrect().formatRange(1, 0), c.finalAccuracy().formatMedian(100, 2), milestone(c)));
            for (int e : ConfigSummary.LOSS_EPOCHS) {
                cells.add(c.lossOfEpoch(e).formatMedian(1, 4));
            }
            cells.add(c.seconds().formatMedian(1, 1));
            b.append(row(cells));
        }
        return b.toString();
    }

    /** The paired comparison of the costs: one row per pair of configs that differ in their cost alone. */
    public static String pairsTable(List<PairedComparison> pairs) {
        List<String> header = List.of("cross-entropy vs quadratic", "seeds", "cross-entropy better / worse / tied",
                "difference in best acc. (points)", "range (points)", "sign test p", "stalled: quadratic only / "
                        + "cross-entropy only");
        StringBuilder b = new StringBuilder(row(header)).append(row(header.stream().map(h -> "---").toList()));
        for (PairedComparison p : pairs) {
            Stats d = p.difference();
            int[] stalled = p.stalledOnlyOneSide();
            b.append(row(List.of("`" + p.crossEntropy().name() + "` vs `" + p.quadratic().name() + "`",
                    Integer.toString(p.pairs().size()), p.wins() + " / " + p.losses() + " / " + p.ties(),
                    signed(d.median()) + " (" + signed(d.q1()) + " to " + signed(d.q3()) + ")",
                    signed(d.min()) + " to " + signed(d.max()), pValue(p.pValue()),
                    stalled[0] + " / " + stalled[1])));
        }
        return b.toString();
    }

    static String markdown(List<ConfigSummary> configs, Context context) {
        ConfigSummary first = configs.get(0);
        List<Long> seeds = first.runs().stream().map(RunSummary::seed).toList();
        List<PairedComparison> pairs = PairedComparison.find(configs);
        StringBuilder b = new StringBuilder();
        b.append("# Ablation: cost function × weight initialisation\n\n");
        b.append(table(configs)).append('\n');
        b.append("One run per config and seed (").append(seedText(seeds)).append(")")
                .append(String.format(Locale.ROOT, ", %d epochs of %,d steps of %d images each", first.epochs(),
                        first.config().training().stepsPerEpoch(), first.config().training().batchSize()))
                .append(". Test accuracy is on the 10,000 test images after an epoch (docs/SPEC.md §6). Numbers ")
                .append("are the median over the seeds with the interquartile range in brackets, unless a column ")
                .append("says otherwise.\n\n");
        b.append("- *stalled*: runs whose best test accuracy stays below ").append(RunSummary.STALL_PERCENT)
                .append("%: a digit class all but lost, an output unit stuck saturated and wrong. The share with ")
                .append("its 95% Wilson interval.\n");
        b.append("- *best*: the script's `best`, the highest count of any epoch; *best of 10000*: its range over ")
                .append("the seeds, as TF's reference runs are quoted; *final*: after the last epoch (`Epoch ")
                .append(first.epochs() - 1).append("`).\n");
        b.append("- *first `Epoch N` ≥ ").append(ConfigSummary.MILESTONE_PERCENT)
                .append("%*: numbered as the script prints it (`Epoch 0` ends the first ")
                .append(String.format(Locale.ROOT, "%,d", first.config().training().stepsPerEpoch()))
                .append(" steps), over the seeds that reach it; \"never\" counts the seeds that do not.\n");
        b.append("- *train loss, k-th epoch*: counted from 1 (the 1st epoch is the script's `Epoch 0`, the 30th ")
                .append("its `Epoch 29`): the mean of that epoch's minibatch losses, each taken before its update. ")
                .append("Each config's own cost: quadratic and cross-entropy values are different functions and ")
                .append("cannot be compared with each other, only along a column of the same cost.\n");
        b.append("- *s per run*: wall time of a run's epochs (training and evaluation, not start-up), with up to ")
                .append(context.parallel()).append(" runs at a time on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores.\n\n");
        if (!pairs.isEmpty()) {
            b.append("## The costs, seed by seed\n\n");
            b.append(pairsTable(pairs)).append('\n');
            b.append("For the same seed, the two configs of a row start from the same parameters and see the same ")
                    .append("batches: they differ by the cost alone. *Difference*: cross-entropy's best test accuracy ")
                    .append("minus quadratic's, in percentage points, median (interquartile range); *sign test p*: ")
                    .append("how likely so uneven a split of better and worse would be if neither cost were ")
                    .append("better (ties left out).\n\n");
        }
        b.append("## Stalled runs\n\n");
        for (ConfigSummary c : configs) {
            List<RunSummary> stalled = c.stalledRuns();
            b.append("- `").append(c.name()).append("`: ");
            if (stalled.isEmpty()) {
                b.append("none of ").append(c.seeds()).append(".\n");
            } else {
                b.append(String.join(", ", stalled.stream().map(r -> String.format(Locale.ROOT,
                        "seed %d (best %.2f%%)", r.seed(), 100.0 * r.bestCorrect() / r.testCount())).toList()))
                        .append(".\n");
            }
        }
        b.append('\n');
        b.append("![Test accuracy per epoch](").append(ACCURACY_PNG).append(")\n\n");
        b.append("![Training loss per epoch](").append(LOSS_PNG).append(")\n\n");
        b.append("![Best test accuracy of each run](").append(BEST_PNG).append(")\n\n");
        b.append("Per-run numbers: [").append(RUNS_CSV).append("](").append(RUNS_CSV)
                .append("); the tables' numbers: [").append(CONFIGS_CSV).append("](").append(CONFIGS_CSV)
                .append("), [").append(PAIRS_CSV).append("](").append(PAIRS_CSV)
                .append("); each run's directory `<config>/seed-<n>/` holds its `metrics.csv`, `config.yaml`, ")
                .append("`train.log`, `stdout.txt` and model zips.\n\n");
        double runSeconds = configs.stream().flatMap(c -> c.runs().stream()).mapToDouble(RunSummary::seconds).sum();
        b.append(String.format(Locale.ROOT, "Trained by the %s engine on %s; the runs' own wall times add up to "
                + "%.0f s.%n%n", context.engine(), context.hardware(), runSeconds));
        b.append("Regenerate (finished runs in the output directory are reused, not retrained):\n\n```\n")
                .append(context.command()).append("\n```\n");
        return b.toString();
    }

    private static String milestone(ConfigSummary c) {
        Stats s = c.firstMilestoneEpoch();
        int never = c.neverReached();
        if (s.n() == 0) {
            return "never";
        }
        String text = s.formatMedian(1, 1);
        if (never > 0) {
            text += "; " + never + " of " + c.seeds() + " never";
        }
        return text;
    }

    private static String signed(double points) {
        return String.format(Locale.ROOT, "%+.2f", points);
    }

    private static String pValue(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return n + suffix;
    }

    private static String seedText(List<Long> seeds) {
        if (seeds.size() == 1) {
            return "seed " + seeds.get(0);
        }
        boolean consecutive = seeds.get(seeds.size() - 1) - seeds.get(0) == seeds.size() - 1;
        return "seeds " + (consecutive ? seeds.get(0) + "–" + seeds.get(seeds.size() - 1)
                : String.join(", ", seeds.stream().map(String::valueOf).toList()));
    }

    // ------------------------------------------------------------------ CSV

    public static final List<String> RUNS_CSV_HEADER = runsCsvHeader();

    private static List<String> runsCsvHeader() {
        List<String> h = new ArrayList<>(List.of("config", "seed", "epochs", "best_correct", "best_epoch",
                "final_correct", "test_count", "stalled", "first_epoch_" + ConfigSummary.MILESTONE_PERCENT + "pct"));
        for (int e : ConfigSummary.LOSS_EPOCHS) {
            h.add("train_loss_" + ordinal(e) + "_epoch");
        }
        h.add("seconds");
        return List.copyOf(h);
    }

    /** One row per run; epochs numbered as the script prints them, losses per k-th epoch (from 1). */
    static void writeRunsCsv(List<ConfigSummary> configs, Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (ConfigSummary c : configs) {
            for (RunSummary r : c.runs()) {
                List<String> row = new ArrayList<>(List.of(r.config(), Long.toString(r.seed()),
                        Integer.toString(r.epochs()), Integer.toString(r.bestCorrect()),
                        Integer.toString(r.bestEpoch()), Integer.toString(r.finalCorrect()),
                        Integer.toString(r.testCount()), Boolean.toString(r.stalled()),
                        optional(r.firstEpochReaching(ConfigSummary.MILESTONE_PERCENT))));
                for (int e : ConfigSummary.LOSS_EPOCHS) {
                    OptionalDouble loss = r.meanLossOfEpoch(e);
                    row.add(loss.isPresent() ? String.format(Locale.ROOT, "%.9g", loss.getAsDouble()) : "");
                }
                row.add(String.format(Locale.ROOT, "%.3f", r.seconds()));
                rows.add(row);
            }
        }
        Csv.write(file, RUNS_CSV_HEADER, rows);
    }

    public static final List<String> CONFIGS_CSV_HEADER = List.of("config", "seeds", "stalled", "stalled_ci_low",
            "stalled_ci_high", "best_acc_median", "best_acc_q1", "best_acc_q3", "best_acc_min", "best_acc_max",
            "final_acc_median", "final_acc_q1", "final_acc_q3", "first_epoch_94pct_median", "first_epoch_94pct_q1",
            "first_epoch_94pct_q3", "never_94pct");

    /** One row per config: the numbers of the table (accuracies as fractions). */
    static void writeConfigsCsv(List<ConfigSummary> configs, Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (ConfigSummary c : configs) {
            Stats best = c.bestAccuracy();
            Stats fin = c.finalAccuracy();
            Stats first = c.firstMilestoneEpoch();
            rows.add(List.of(c.name(), Integer.toString(c.seeds()), Integer.toString(c.stalled().k()),
                    number(Math.max(0, c.stalled().lower())), number(Math.min(1, c.stalled().upper())),
                    number(best.median()), number(best.q1()), number(best.q3()), number(best.min()),
                    number(best.max()), number(fin.median()), number(fin.q1()), number(fin.q3()),
                    number(first.median()), number(first.q1()), number(first.q3()), Integer.toString(c.neverReached())));
        }
        Csv.write(file, CONFIGS_CSV_HEADER, rows);
    }

    public static final List<String> PAIRS_CSV_HEADER = List.of("cross_entropy", "quadratic", "seeds",
            "cross_entropy_better", "cross_entropy_worse", "tied", "difference_points_median",
            "difference_points_q1", "difference_points_q3", "difference_points_min", "difference_points_max",
            "sign_test_p", "stalled_quadratic_only", "stalled_cross_entropy_only");

    static void writePairsCsv(List<PairedComparison> pairs, Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (PairedComparison p : pairs) {
            Stats d = p.difference();
            int[] stalled = p.stalledOnlyOneSide();
            rows.add(List.of(p.crossEntropy().name(), p.quadratic().name(), Integer.toString(p.pairs().size()),
                    Integer.toString(p.wins()), Integer.toString(p.losses()), Integer.toString(p.ties()),
                    number(d.median()), number(d.q1()), number(d.q3()), number(d.min()), number(d.max()),
                    number(p.pValue()), Integer.toString(stalled[0]), Integer.toString(stalled[1])));
        }
        Csv.write(file, PAIRS_CSV_HEADER, rows);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String optional(OptionalInt v) {
        return v.isPresent() ? Integer.toString(v.getAsInt()) : "";
    }

    // ------------------------------------------------------------------ figures

    /**
     * Test accuracy (%) against epoch: a line per config (the median over seeds) with its interquartile
     * band, and every stalled run drawn thin in its config's colour; under it the same zoomed on
     * [milestone - 1%, top], where the configs differ by tenths of a percent. No zoom when no run reaches
     * the milestone.
     */
    public static Figure accuracyFigure(List<ConfigSummary> configs) {
        List<LineSeries> lines = new ArrayList<>();
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < configs.size(); i++) {
            ConfigSummary c = configs.get(i);
            double[][] acc = c.perEpoch(true);
            for (RunSummary r : c.runs()) {
                for (double v : r.accuracies()) {
                    top = Math.max(top, 100 * v);
                }
            }
            lines.add(styled(LineSeries.of(legend(c), c.epochNumbers(), times(acc[0], 100))
                    .withBand(times(acc[1], 100), times(acc[2], 100)), i, c));
            for (RunSummary r : c.stalledRuns()) {
                lines.add(styled(LineSeries.of(c.name() + " seed " + r.seed(), c.epochNumbers(),
                        times(r.accuracies(), 100)), i, c).asThin());
            }
        }
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel("Test accuracy after each epoch: median of " + seedsText(configs)
                + ", band = interquartile range, thin = stalled runs", epochAxis(), "Test accuracy (%)", lines,
                false, LegendPlacement.INSIDE_BOTTOM_RIGHT));
        double low = ConfigSummary.MILESTONE_PERCENT - 1;
        if (top >= ConfigSummary.MILESTONE_PERCENT) {
            double high = Math.ceil(top * 2) / 2 + 0.5;
            panels.add(new Panel("The same, zoomed on " + percent(low) + "–" + percent(high) + "% (lines below "
                    + percent(low) + "% leave the panel)", epochAxis(), "Test accuracy (%)", lines, false,
                    LegendPlacement.NONE).withYRange(low, high));
        }
        return new Figure(setting(configs) + ": cost function × weight initialisation", panels, 1, ACCURACY_WIDTH,
                ACCURACY_PANEL_HEIGHT);
    }

    /**
     * Mean training loss against epoch, log scale (it falls fast then slowly): a panel per cost, since
     * the quadratic cost and the cross-entropy are different functions; median, interquartile band, stalled
     * runs thin; each config keeps its colour.
     */
    public static Figure lossFigure(List<ConfigSummary> configs) {
        List<Panel> panels = new ArrayList<>();
        for (LossKind kind : List.of(LossKind.QUADRATIC, LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS)) {
            List<LineSeries> lines = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                ConfigSummary c = configs.get(i);
                if (c.config().loss() != kind) {
                    continue;
                }
                double[][] loss = c.perEpoch(false);
                lines.add(styled(LineSeries.of(legend(c), c.epochNumbers(), loss[0]).withBand(loss[1], loss[2]), i, c));
                for (RunSummary r : c.stalledRuns()) {
                    lines.add(styled(LineSeries.of(c.name() + " seed " + r.seed(), c.epochNumbers(), r.losses()), i,
                            c).asThin());
                }
            }
            if (!lines.isEmpty()) {
                String title = kind == LossKind.QUADRATIC ? "Quadratic cost, ½‖y − a‖² (batch mean)"
                        : "Cross-entropy (mean over batch and outputs)";
                panels.add(new Panel(title, epochAxis(), "Mean training loss of the epoch (log scale)", lines,
                        true, LegendPlacement.INSIDE_TOP_RIGHT));
            }
        }
        return new Figure("Training loss per epoch: median of " + seedsText(configs)
                + ", band = interquartile range, thin = stalled runs", panels, panels.size(), LOSS_PANEL_WIDTH,
                LOSS_PANEL_HEIGHT);
    }

    /**
     * A histogram per config of its runs' best test accuracy, bins of {@value #BIN_POINTS} points, all on the
     * same x axis: where most runs end, and how far the stalled ones fall behind.
     */
    public static Figure bestFigure(List<ConfigSummary> configs) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (ConfigSummary c : configs) {
            low = Math.min(low, 100 * c.bestAccuracy().min());
            high = Math.max(high, 100 * c.bestAccuracy().max());
        }
        double from = Math.floor(low / BIN_POINTS) * BIN_POINTS;
        int bins = Math.max(1, (int) Math.ceil((high - from) / BIN_POINTS + 1e-9));
        List<Panel> panels = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ConfigSummary c = configs.get(i);
            int[] counts = new int[bins];
            for (RunSummary r : c.runs()) {
                double v = 100.0 * r.bestCorrect() / r.testCount();
                counts[Math.min(bins - 1, (int) Math.floor((v - from) / BIN_POINTS + 1e-9))]++;
            }
            // the outline of the bars, filled down to 0 by the band
            double[] x = new double[2 * bins + 2];
            double[] y = new double[2 * bins + 2];
            x[0] = from;
            for (int b = 0; b < bins; b++) {
                x[2 * b + 1] = from + b * BIN_POINTS;
                x[2 * b + 2] = from + (b + 1) * BIN_POINTS;
                y[2 * b + 1] = counts[b];
                y[2 * b + 2] = counts[b];
            }
            x[2 * bins + 1] = from + bins * BIN_POINTS;
            // solid and thin: the outline of the filled bars, whatever the cost
            LineSeries bars = LineSeries.of(legend(c), x, y).withBand(new double[x.length], y).withColour(i).asThin();
            panels.add(new Panel(c.name() + ": " + c.stalled().k() + " of " + c.seeds() + " stalled",
                    "Best test accuracy of a run (%), bins of " + BIN_POINTS + " points", "Runs", List.of(bars),
                    false, LegendPlacement.NONE));
        }
        return new Figure("Best test accuracy of each run (" + seedsText(configs) + " per config)", panels,
                Math.min(2, panels.size()), BEST_PANEL_WIDTH, BEST_PANEL_HEIGHT);
    }

    /** What all configs share, e.g. "MNIST 784-30-10 sigmoid, SGD η = 3, batches of 10"; "MNIST" if they differ. */
    static String setting(List<ConfigSummary> configs) {
        ExperimentConfig first = configs.get(0).config();
        boolean same = configs.stream().map(ConfigSummary::config).allMatch(c -> c.network().equals(first.network())
                && c.updater().learningRate() == first.updater().learningRate()
                && c.training().batchSize() == first.training().batchSize());
        if (!same) {
            return "MNIST";
        }
        StringBuilder b = new StringBuilder("MNIST ").append(first.network().inputs());
        first.network().layers().forEach(l -> b.append('-').append(l.units()));
        boolean allSigmoid = first.network().layers().stream().allMatch(l -> l.activation() == Activation.SIGMOID);
        if (allSigmoid) {
            b.append(" sigmoid");
        }
        String rate = first.updater().learningRate() == Math.rint(first.updater().learningRate())
                ? Long.toString((long) first.updater().learningRate())
                : Double.toString(first.updater().learningRate());
        return b.append(", SGD η = ").append(rate).append(", batches of ").append(first.training().batchSize())
                .toString();
    }

    private static String percent(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** A config's colour is its position in the ablation; quadratic-cost lines are dashed. */
    private static LineSeries styled(LineSeries line, int index, ConfigSummary c) {
        LineSeries s = line.withColour(index);
        return c.config().loss() == LossKind.QUADRATIC ? s.asDashed() : s;
    }

    private static String legend(ConfigSummary c) {
        return c.name() + " (" + c.variant() + ")";
    }

    private static String epochAxis() {
        return "Epoch, as the script prints it (Epoch 0 is the first)";
    }

    private static String seedsText(List<ConfigSummary> configs) {
        int seeds = configs.get(0).seeds();
        return seeds == 1 ? "1 seed" : seeds + " seeds";
    }

    private static double[] times(double[] values, double factor) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }

    private static void writeText(Path file, String text) throws IOException {
        AtomicFiles.writeString(file.toAbsolutePath(), text);
    }
}
