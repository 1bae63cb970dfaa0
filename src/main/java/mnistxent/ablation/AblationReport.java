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
 * The ablation's outputs: {@code ablation.md} (the table per config, over seeds),
 * {@code ablation-runs.csv} (the numbers of every run), {@code ablation-accuracy.png} (test accuracy
 * per epoch, a line per config, a min-max band over seeds) and {@code ablation-loss.png} (training
 * loss per epoch, a panel per cost: the two costs are different functions, their values are not
 * comparable). In both figures a config keeps its colour, and quadratic-cost configs are dashed.
 */
public final class AblationReport {

    public static final String MARKDOWN = "ablation.md";
    public static final String RUNS_CSV = "ablation-runs.csv";
    public static final String ACCURACY_PNG = "ablation-accuracy.png";
    public static final String LOSS_PNG = "ablation-loss.png";

    private static final int ACCURACY_WIDTH = 1100;
    private static final int ACCURACY_PANEL_HEIGHT = 470;
    private static final int LOSS_PANEL_WIDTH = 620;
    private static final int LOSS_PANEL_HEIGHT = 520;

    private AblationReport() {
    }

    /** Where a report's files go, and how it was made (for ablation.md's "regenerate with" line). */
    public record Context(Path out, String command, int parallel) {
    }

    /** Writes the four files into {@code context.out()}. */
    public static void write(List<ConfigSummary> configs, Context context) throws IOException {
        writeText(context.out().resolve(MARKDOWN), markdown(configs, context));
        writeRunsCsv(configs, context.out().resolve(RUNS_CSV));
        Charts.writePng(accuracyFigure(configs), context.out().resolve(ACCURACY_PNG));
        Charts.writePng(lossFigure(configs), context.out().resolve(LOSS_PNG));
    }

    // ------------------------------------------------------------------ table

    /** The table alone (also printed by the command). */
    public static String table(List<ConfigSummary> configs) {
        List<String> header = new ArrayList<>(List.of("config", "cost, initial weights", "seeds",
                "best test acc. (%)", "best of 10000 (min–max)", "final test acc. (%)",
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
                    Integer.toString(c.seeds()), c.bestAccuracy().format(100, 2), range(c.bestCorrect()),
                    c.finalAccuracy().format(100, 2), milestone(c)));
            for (int e : ConfigSummary.LOSS_EPOCHS) {
                cells.add(c.lossOfEpoch(e).format(1, 4));
            }
            cells.add(c.seconds().format(1, 1));
            b.append(row(cells));
        }
        return b.toString();
    }

    static String markdown(List<ConfigSummary> configs, Context context) {
        ConfigSummary first = configs.get(0);
        List<Long> seeds = first.runs().stream().map(RunSummary::seed).toList();
        StringBuilder b = new StringBuilder();
        b.append("# Ablation: cost function × weight initialisation\n\n");
        b.append(table(configs)).append('\n');
        b.append("Each cell is the mean ± sample standard deviation over the seeds (")
                .append(seedText(seeds)).append("), one run per config and seed")
                .append(String.format(Locale.ROOT, ", %d epochs of %,d steps of %d images each", first.epochs(),
                        first.config().training().stepsPerEpoch(), first.config().training().batchSize()))
                .append(". Test accuracy is on the 10,000 test images after an epoch (docs/SPEC.md §6).\n\n");
        b.append("- *best*: the script's `best`, the highest count of any epoch; *best of 10000*: its range over the ")
                .append("seeds, as TF's reference runs are quoted; *final*: after the last epoch (`Epoch ")
                .append(first.epochs() - 1).append("`).\n");
        b.append("- *first `Epoch N` ≥ ").append(ConfigSummary.MILESTONE_PERCENT)
                .append("%*: numbered as the script prints it (`Epoch 0` ends the first ")
                .append(String.format(Locale.ROOT, "%,d", first.config().training().stepsPerEpoch()))
                .append(" steps); the mean ")
                .append("(min–max) over the seeds that reach it; \"never\" when a seed does not.\n");
        b.append("- *train loss, k-th epoch*: counted from 1 (the 1st epoch is the script's `Epoch 0`, the 30th ")
                .append("its `Epoch 29`): the mean of that epoch's minibatch losses, each taken before its update. ")
                .append("Each config's own cost: quadratic and cross-entropy values are different functions and ")
                .append("cannot be compared with each other, only along a column of the same cost.\n");
        b.append("- *s per run*: wall time of a run's epochs (training and evaluation, not start-up), with up to ")
                .append(context.parallel()).append(" runs at a time on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores.\n\n");
        b.append("![Test accuracy per epoch](").append(ACCURACY_PNG).append(")\n\n");
        b.append("![Training loss per epoch](").append(LOSS_PNG).append(")\n\n");
        b.append("Per-run numbers: [").append(RUNS_CSV).append("](").append(RUNS_CSV)
                .append("); each run's directory `<config>/seed-<n>/` holds its `metrics.csv`, `config.yaml`, ")
                .append("`train.log`, `stdout.txt` and model zips.\n\n");
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
        String text = String.format(Locale.ROOT, "%.1f", s.mean());
        if (s.n() > 1) {
            text += String.format(Locale.ROOT, " (%d–%d)", (int) s.min(), (int) s.max());
        }
        if (never > 0) {
            text += "; " + never + " of " + c.seeds() + " never";
        }
        return text;
    }

    private static String range(Stats s) {
        return s.n() == 1 ? String.format(Locale.ROOT, "%.0f", s.min())
                : String.format(Locale.ROOT, "%.0f–%.0f", s.min(), s.max());
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
                "final_correct", "test_count", "first_epoch_" + ConfigSummary.MILESTONE_PERCENT + "pct"));
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
                        Integer.toString(r.testCount()), optional(r.firstEpochReaching(ConfigSummary.MILESTONE_PERCENT))));
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

    private static String optional(OptionalInt v) {
        return v.isPresent() ? Integer.toString(v.getAsInt()) : "";
    }

    // ------------------------------------------------------------------ figures

    /**
     * Test accuracy (%) against epoch: a line per config (mean over seeds) with a min-max band; under it
     * the same curves zoomed on [milestone - 1%, top], where the configs differ by tenths of a percent
     * (one bad seed's band can otherwise stretch the axis down to 60%). No zoom when no run reaches the
     * milestone.
     */
    public static Figure accuracyFigure(List<ConfigSummary> configs) {
        List<LineSeries> lines = new ArrayList<>();
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < configs.size(); i++) {
            ConfigSummary c = configs.get(i);
            double[][] acc = c.perEpoch(true);
            double[] upper = times(acc[2], 100);
            for (double v : upper) {
                top = Math.max(top, v);
            }
            lines.add(styled(LineSeries.of(legend(c), c.epochNumbers(), times(acc[0], 100))
                    .withBand(times(acc[1], 100), upper), i, c));
        }
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel("Test accuracy after each epoch: mean of " + seedsText(configs) + ", band = min–max",
                epochAxis(), "Test accuracy (%)", lines, false, LegendPlacement.INSIDE_BOTTOM_RIGHT));
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
     * the quadratic cost and the cross-entropy are different functions; each config keeps its colour.
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
            }
            if (!lines.isEmpty()) {
                String title = kind == LossKind.QUADRATIC ? "Quadratic cost, ½‖y − a‖² (batch mean)"
                        : "Cross-entropy (mean over batch and outputs)";
                panels.add(new Panel(title, epochAxis(), "Mean training loss of the epoch (log scale)", lines,
                        true, LegendPlacement.INSIDE_TOP_RIGHT));
            }
        }
        return new Figure("Training loss per epoch: mean of " + seedsText(configs) + ", band = min–max",
                panels, panels.size(), LOSS_PANEL_WIDTH, LOSS_PANEL_HEIGHT);
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
