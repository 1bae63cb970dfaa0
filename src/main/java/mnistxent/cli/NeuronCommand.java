package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.neuron.NeuronConfig;
import mnistxent.neuron.NeuronConfigLoader;
import mnistxent.neuron.NeuronExperiment;
import mnistxent.neuron.NeuronReport;
import mnistxent.neuron.NeuronResults;
import mnistxent.neuron.SlowdownMap;
import mnistxent.neuron.SlowdownReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code neuron}: the single-neuron experiment of docs/SPEC.md §7, the article's four Epoch-Cost
 * curves. Writes {@code neuron.csv} and {@code neuron.png} and prints a summary table to stdout
 * (this is not the training run, whose stdout is reserved for the seed script's lines).
 */
@Command(name = "neuron",
        header = "Reproduce the article's single-neuron figures (cost against epoch).",
        mixinStandardHelpOptions = true,
        description = {
                "The article's single-neuron figures (docs/SPEC.md section 7): one sigmoid",
                "neuron, x=1, y=0, the quadratic cost and the cross-entropy, each from",
                "w,b = 0.6,0.9 and 2.0,2.0. Writes neuron.csv and neuron.png; prints per",
                "curve the initial output a, the initial dC/dw and when the cost halves.",
                "Then the slowdown map: epochs until the cost halves from every start of a",
                "grid, per cost (slowdown.csv, slowdown.png)."})
public final class NeuronCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(NeuronCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/neuron.yaml",
            description = "the experiment's config (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "output directory, created if missing (default: the config's output.dir, runs/neuron)")
    Path out;

    @Option(names = "--map-range", paramLabel = "R", defaultValue = "4",
            description = "the slowdown map spans w and b in [-R, R] (default: ${DEFAULT-VALUE})")
    double mapRange;

    @Option(names = "--map-points", paramLabel = "N", defaultValue = "81",
            description = "grid points per axis of the slowdown map (default: ${DEFAULT-VALUE})")
    int mapPoints;

    @Option(names = "--map-max-epochs", paramLabel = "N", defaultValue = "20000",
            description = "the longest training of a map cell; slower cells show as such (default: ${DEFAULT-VALUE})")
    int mapMaxEpochs;

    @Override
    public Integer call() {
        if (!(mapRange > 0) || mapPoints < 2 || mapPoints > 1001 || mapMaxEpochs < 1) {
            throw new UserError("--map-range must be > 0, --map-points 2..1001 and --map-max-epochs >= 1");
        }
        NeuronConfig cfg = NeuronConfigLoader.load(config);
        Path dir = out != null ? out : cfg.outputDir();
        OutputDirs.prepare(dir);
        LOG.info("{}: {} epochs, {} costs x {} starts, x={}, y={}", cfg.name(), cfg.epochs(), cfg.costs().size(),
                cfg.starts().size(), cfg.input(), cfg.target());
        NeuronResults results = NeuronExperiment.run(cfg.withOutputDir(dir));
        Path csv = dir.resolve(NeuronReport.CSV_FILE);
        Path png = dir.resolve(NeuronReport.PNG_FILE);
        try {
            NeuronReport.writeCsv(results, csv);
        } catch (IOException e) {
            throw new UserError("cannot write " + csv + ": " + OutputDirs.describe(e));
        }
        try {
            NeuronReport.writePng(results, png);
        } catch (IOException e) {
            throw new UserError("cannot write " + png + ": " + OutputDirs.describe(e));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(NeuronReport.table(results));
        stdout.flush();
        LOG.info("wrote {} and {}", csv, png);

        long start = System.nanoTime();
        SlowdownMap map = SlowdownMap.compute(cfg, mapRange, mapPoints, mapMaxEpochs);
        Path mapCsv = dir.resolve(SlowdownReport.CSV_FILE);
        Path mapPng = dir.resolve(SlowdownReport.PNG_FILE);
        try {
            SlowdownReport.writeCsv(map, mapCsv);
            SlowdownReport.writePng(map, cfg.starts(), cfg.input(), cfg.target(), mapPng);
        } catch (IOException e) {
            throw new UserError("cannot write the slowdown map into " + dir + ": " + OutputDirs.describe(e));
        }
        LOG.info("slowdown map: {} x {} starts per cost in {} s; wrote {} and {}", mapPoints, mapPoints,
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9), mapCsv, mapPng);
        return 0;
    }
}
