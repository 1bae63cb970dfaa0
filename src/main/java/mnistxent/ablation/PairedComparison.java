package mnistxent.ablation;

import mnistxent.config.ExperimentConfig;
import mnistxent.config.LossKind;
import mnistxent.report.SignTest;
import mnistxent.report.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Cross-entropy against the quadratic cost, run for run. Two configs that differ only in their cost
 * train, for the same seed, from the same initial parameters on the same batches (both are drawn from the
 * seed's own streams: SPEC §2, §3), so a seed's two runs differ by the cost alone, and the comparison is
 * paired: how often cross-entropy ends better, by how much, and how unlikely that split is by chance.
 *
 * @param crossEntropy the config with {@code sigmoid-cross-entropy-with-logits}
 * @param quadratic    the same config with {@code quadratic}
 */
public record PairedComparison(ConfigSummary crossEntropy, ConfigSummary quadratic) {

    /** The seeds both configs ran, each as (cross-entropy run, quadratic run). */
    public List<RunSummary[]> pairs() {
        Map<Long, RunSummary> quad = quadratic.runs().stream()
                .collect(Collectors.toMap(RunSummary::seed, Function.identity()));
        List<RunSummary[]> out = new ArrayList<>();
        for (RunSummary x : crossEntropy.runs()) {
            RunSummary q = quad.get(x.seed());
            if (q != null) {
                out.add(new RunSummary[]{x, q});
            }
        }
        return out;
    }

    /** Seeds whose cross-entropy run has the higher best test count. */
    public int wins() {
        return (int) pairs().stream().filter(p -> p[0].bestCorrect() > p[1].bestCorrect()).count();
    }

    /** Seeds whose quadratic run has the higher best test count. */
    public int losses() {
        return (int) pairs().stream().filter(p -> p[0].bestCorrect() < p[1].bestCorrect()).count();
    }

    public int ties() {
        return pairs().size() - wins() - losses();
    }

    /** Best test accuracy of cross-entropy minus quadratic, per seed, in percentage points. */
    public Stats difference() {
        return Stats.of(pairs().stream().mapToDouble(p -> 100.0 * (p[0].bestCorrect() / (double) p[0].testCount()
                - p[1].bestCorrect() / (double) p[1].testCount())).toArray());
    }

    /** The sign test's two-sided p-value of {@link #wins()} against {@link #losses()}. */
    public double pValue() {
        return SignTest.pValue(wins(), losses());
    }

    /** Seeds where the quadratic run stalled and the cross-entropy run did not, and the reverse. */
    public int[] stalledOnlyOneSide() {
        int quadOnly = 0;
        int xentOnly = 0;
        for (RunSummary[] p : pairs()) {
            if (p[1].stalled() && !p[0].stalled()) {
                quadOnly++;
            } else if (p[0].stalled() && !p[1].stalled()) {
                xentOnly++;
            }
        }
        return new int[]{quadOnly, xentOnly};
    }

    /** Every pair of configs among {@code configs} that differ in their cost only (cross-entropy first). */
    public static List<PairedComparison> find(List<ConfigSummary> configs) {
        List<PairedComparison> out = new ArrayList<>();
        for (ConfigSummary x : configs) {
            if (x.config().loss() != LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS) {
                continue;
            }
            for (ConfigSummary q : configs) {
                if (q.config().loss() == LossKind.QUADRATIC && sameButCost(x.config(), q.config())) {
                    out.add(new PairedComparison(x, q));
                }
            }
        }
        return out;
    }

    private static boolean sameButCost(ExperimentConfig a, ExperimentConfig b) {
        return a.network().equals(b.network()) && a.init().equals(b.init()) && a.updater().equals(b.updater())
                && a.training().equals(b.training()) && a.data().validationSize() == b.data().validationSize();
    }
}
